/**
 * `npm run demo:distributed`: the seed's "Distributed Session" demo. A local Upstash-compatible
 * endpoint in front of Redis, and two demo processes on two ports sharing sessions through it:
 * sign in on one, you are signed in on the other; sign out on either, you are out on both.
 *
 * Ports: `PORTS=8001,8002` by default. Redis: `REDIS_URL`, else 127.0.0.1:6379, else a
 * `redis-server` from PATH.
 *
 * @module
 */

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startUpstashEndpoint } from "../../test/support/upstash-endpoint.ts";
import { exampleSecret } from "../serve.ts";

export interface DistributedDemo {
  /** The two instances' base URLs. */
  urls: [string, string];
  stop(): Promise<void>;
}

const SERVER = fileURLToPath(new URL("./server.ts", import.meta.url));

/** Starts the endpoint and two instances; port 0 picks free ports. */
export async function startDistributedDemo(ports: [number, number] = [8001, 8002]): Promise<DistributedDemo> {
  const endpoint = await startUpstashEndpoint();
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => new Promise((resolve) => (child.once("exit", resolve), child.kill()))));
    await endpoint.close();
  };
  try {
    const urls = await Promise.all(
      ports.map((port, i) => {
        const child = spawn(process.execPath, ["--import", "tsx", SERVER], {
          env: {
            ...process.env,
            PORT: String(port),
            INSTANCE: i === 0 ? "A" : "B",
            UPSTASH_REDIS_REST_URL: endpoint.url,
            UPSTASH_REDIS_REST_TOKEN: endpoint.token,
            SESSION_SECRET: exampleSecret(),
            // Plain http on localhost: Safari would drop Secure cookies.
            SECURE_COOKIES: "false",
          },
          stdio: ["ignore", "pipe", "inherit"],
        });
        children.push(child);
        return listeningUrl(child);
      }),
    );
    return { urls: urls as [string, string], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves the URL a demo process prints once it listens. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`a demo instance exited with code ${code} before listening`)));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ports = (process.env.PORTS ?? "8001,8002").split(",").map(Number) as [number, number];
  const demo = await startDistributedDemo(ports);
  console.log(`Two instances share sessions through Redis: ${demo.urls.join(" and ")}`);
  console.log("Sign in on one, reload the other; sign out on either. Ctrl+C stops both.");
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => demo.stop().then(() => process.exit(0)));
}
