/**
 * A TCP proxy in front of a server that counts round trips: a client's bytes that follow the
 * server's answer (or open the connection) start a new one. Whatever a client pipelines before
 * the answer counts once, as it costs one wait. Used to check and measure PostgresStore's round
 * trips whatever the client (node-postgres, postgres.js).
 */
import { createServer } from "node:net";
import type { Socket } from "node:net";
import { once } from "node:events";

export interface RoundTripProxy {
  port: number;
  /** Round trips since the last reset. */
  readonly roundTrips: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startRoundTripProxy(target: { host: string; port: number }): Promise<RoundTripProxy> {
  let roundTrips = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    let answered = true;
    const upstream = new (client.constructor as typeof Socket)();
    upstream.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("data", (chunk) => {
      if (answered) roundTrips++;
      answered = false;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      answered = true;
      client.write(chunk);
    });
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as { port: number }).port,
    get roundTrips() {
      return roundTrips;
    },
    reset: () => {
      roundTrips = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
