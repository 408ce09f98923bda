/**
 * A real Redis for the tests: `REDIS_URL` if set, else 127.0.0.1:6379 if it answers, else a
 * `redis-server` from PATH started on a free port for this test run. Anything else fails with a
 * message that says how to get one.
 */
import { spawn } from "node:child_process";
import { createConnection } from "node:net";
import { freePort } from "./free-port.ts";

export interface RedisServer {
  /** `redis://host:port` */
  url: string;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

const HOW_TO_GET_REDIS =
  "Tests need a real Redis: set REDIS_URL, run one on 127.0.0.1:6379, or install redis-server " +
  "(Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis; Docker: docker run -p 6379:6379 redis).";

let shared: Promise<RedisServer> | undefined;

/** The Redis the tests use; started at most once per process. */
export function ensureRedis(): Promise<RedisServer> {
  shared ??= findOrStartRedis();
  return shared;
}

async function findOrStartRedis(): Promise<RedisServer> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) {
    const { hostname, port } = new URL(fromEnv);
    if (!(await answersPing(hostname, Number(port || 6379)))) {
      throw new Error(`REDIS_URL=${fromEnv} does not answer PING. ${HOW_TO_GET_REDIS}`);
    }
    return { url: fromEnv, stop: async () => {} };
  }
  if (await answersPing("127.0.0.1", 6379)) return { url: "redis://127.0.0.1:6379", stop: async () => {} };
  return startRedisServer();
}

async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (error) => reject(new Error(`could not start redis-server: ${error.message}. ${HOW_TO_GET_REDIS}`))),
  );
  const ready = (async () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await answersPing("127.0.0.1", port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${port} did not answer within 5 s. ${HOW_TO_GET_REDIS}`);
  })();
  await Promise.race([ready, spawnError]);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.once("exit", () => child.kill());
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill();
      await exited;
    },
  };
}

/** Whether a Redis answers `PING` at host:port within half a second. */
function answersPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    // A Redis that wants a password answers -NOAUTH: it is there all the same.
    socket.once("data", (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}
