/**
 * A module Worker for the workerd test of web-sessions/workers: the configuration is a function of
 * `env` that counts its calls, so the test can see it run once per env, not per request. Its two
 * sessions are lazy: "a" is loaded with `loadSession`, "b" never is.
 */
import { MemoryStore } from "../../../src/index.ts";
import { getSession, loadSession, withSessions } from "../../../adapters/workers.ts";
import type { WorkersExecutionContext } from "../../../adapters/workers.ts";

interface Env {
  SESSION_SECRET: string;
  GREETING: string;
}

let configBuilds = 0;

export default {
  fetch: withSessions(
    (env: Env) => {
      configBuilds++;
      return { names: ["a", "b"], lazy: true, store: new MemoryStore({ secrets: env.SESSION_SECRET }) };
    },
    async (request: Request, env: Env, ctx: WorkersExecutionContext) => {
      const a = await loadSession<{ count: number }>(request, "a");
      let bBeforeLoad = "";
      try {
        getSession(request, "b");
      } catch (error) {
        bBeforeLoad = (error as { code: string }).code;
      }
      a.set("count", (a.get("count") ?? 0) + 1);
      await a.save();
      return Response.json({
        count: a.get("count"),
        aAgain: getSession(request, "a") === a,
        bBeforeLoad,
        configBuilds,
        greeting: env.GREETING,
        waitUntil: typeof ctx.waitUntil,
      });
    },
  ),
};
