/**
 * An Upstash-compatible REST endpoint in front of a real Redis, for tests and the local demo.
 * It speaks what `@upstash/redis` sends: `POST /` (one command), `/pipeline` and `/multi-exec`,
 * a Bearer token, and base64 replies when asked (`Upstash-Encoding: base64`). It counts requests
 * and can be stopped, restarted, slowed down or made to fail, for fault tests.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Redis } from "ioredis";
import { ensureRedis } from "./redis.ts";

export interface UpstashEndpoint {
  /** `http://127.0.0.1:port`, the same across stop() and start(). */
  readonly url: string;
  readonly token: string;
  /** HTTP requests answered (any path, any outcome) since start or `resetCounts()`. */
  readonly requests: number;
  /** Redis commands run, lower-cased name first, since start or `resetCounts()`. */
  readonly commands: string[][];
  resetCounts(): void;
  /** Milliseconds to wait before answering each request. */
  latency: number;
  /** An HTTP status to answer every request with instead of running it (e.g. 503), or undefined. */
  failWith: number | undefined;
  /** How many of the next requests get their connection closed without an answer (a network error). */
  dropNext: number;
  /** Stops listening and drops open connections: the endpoint becomes unreachable. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Stops for good and closes the Redis connection. */
  close(): Promise<void>;
  /** A direct Redis connection, for tests that inspect keys and TTLs. */
  readonly redis: Redis;
}

// ioredis turns HGETALL's flat array into an object even for callBuffer: `encode` flattens it back.
type Reply = null | number | string | Uint8Array | Reply[] | { [field: string]: Reply };

export interface EndpointOptions {
  /** `redis://...`; default: `ensureRedis()`. */
  redisUrl?: string;
  token?: string;
  /** Port to listen on; default: a free one. */
  port?: number;
}

export async function startUpstashEndpoint(options: EndpointOptions = {}): Promise<UpstashEndpoint> {
  const redisUrl = options.redisUrl ?? (await ensureRedis()).url;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const token = options.token ?? randomBytes(16).toString("hex");
  let requests = 0;
  let commands: string[][] = [];

  const endpoint = {
    url: "",
    token,
    redis,
    latency: 0,
    failWith: undefined as number | undefined,
    dropNext: 0,
    get requests() {
      return requests;
    },
    get commands() {
      return commands;
    },
    resetCounts() {
      requests = 0;
      commands = [];
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async start() {
      await listen(port);
    },
    async close() {
      if (server.listening) await endpoint.stop();
      redis.disconnect();
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    requests++;
    if (endpoint.dropNext > 0) {
      endpoint.dropNext--;
      request.socket.destroy();
      return;
    }
    const body = await readBody(request);
    if (endpoint.latency > 0) await new Promise((resolve) => setTimeout(resolve, endpoint.latency));
    if (endpoint.failWith) return send(response, endpoint.failWith, { error: "injected failure" });
    if (request.method !== "POST") return send(response, 405, { error: "Method not allowed" });
    if (request.headers.authorization !== `Bearer ${token}`) return send(response, 401, { error: "Unauthorized" });
    const base64 = String(request.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(response, 400, { error: "ERR failed to parse request body" });
    }
    const path = (request.url ?? "/").split("?")[0];
    if (path === "/") {
      const command = toCommand(parsed);
      try {
        return send(response, 200, { result: encode(await run(command), base64) });
      } catch (error) {
        return send(response, 400, { error: (error as Error).message });
      }
    }
    if (path === "/pipeline" || path === "/multi-exec") {
      if (!Array.isArray(parsed)) return send(response, 400, { error: "ERR a pipeline is an array of commands" });
      const batch = parsed.map(toCommand);
      const results = await runBatch(batch, path === "/multi-exec");
      return send(
        response,
        200,
        results.map(([error, result]) => (error ? { error: error.message } : { result: encode(result, base64) })),
      );
    }
    return send(response, 404, { error: "Not found" });
  }

  function toCommand(value: unknown): string[] {
    if (!Array.isArray(value) || value.length === 0) throw new Error("ERR a command is a non-empty array");
    const command = value.map((part) => (typeof part === "string" ? part : JSON.stringify(part)));
    commands.push([command[0]!.toLowerCase(), ...command.slice(1)]);
    return command;
  }

  function run([name, ...args]: string[]): Promise<Reply> {
    return redis.callBuffer(name!, ...args) as Promise<Reply>;
  }

  async function runBatch(batch: string[][], atomic: boolean): Promise<[Error | null, Reply][]> {
    const pipeline = atomic ? redis.multi() : redis.pipeline();
    for (const [name, ...args] of batch) pipeline.callBuffer(name!, ...args);
    try {
      return ((await pipeline.exec()) ?? []) as [Error | null, Reply][];
    } catch (error) {
      // A transaction that Redis refused as a whole (EXECABORT): every command reports it.
      return batch.map(() => [error as Error, null]);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => send(response, 400, { error: error.message }));
  });
  let port = options.port ?? 0;
  async function listen(at: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(at, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    port = (server.address() as { port: number }).port;
    endpoint.url = `http://127.0.0.1:${port}`;
  }
  await listen(port);
  return endpoint;
}

/** Upstash's base64 mode: every string reply is base64 except the literal "OK"; numbers and null stay. */
function encode(reply: Reply, base64: boolean): unknown {
  if (reply === null || typeof reply === "number") return reply;
  if (Array.isArray(reply)) return reply.map((each) => encode(each, base64));
  if (!(reply instanceof Uint8Array) && typeof reply === "object") {
    return encode(Object.entries(reply).flat(), base64);
  }
  const bytes = typeof reply === "string" ? Buffer.from(reply) : Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
  if (!base64) return bytes.toString("utf8");
  return bytes.equals(OK) ? "OK" : bytes.toString("base64");
}
const OK = Buffer.from("OK");

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}
