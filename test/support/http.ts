/** Serves a fetch-style app over real HTTP on 127.0.0.1 and a free port, for browser and load tests. */
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";

export interface Listening {
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): Promise<void>;
}

export function listen(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<Listening> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({
        base: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            // Browsers keep connections alive: drop them, or close() waits for their timeout.
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      }),
    );
  });
}
