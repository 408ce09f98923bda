/**
 * examples/workers unchanged, behind a catch that answers what a thrown error was, so the workerd
 * test can check its code (workerd's own 500 for an uncaught error carries only the message).
 */
import example from "../../../examples/workers/worker.ts";
import type { Env } from "../../../examples/workers/worker.ts";

export default {
  async fetch(request: Request, env: Env, ctx: Parameters<typeof example.fetch>[2]): Promise<Response> {
    try {
      return await example.fetch(request, env, ctx);
    } catch (error) {
      const { name, code } = error as { name?: string; code?: string };
      return Response.json({ name, code }, { status: 500 });
    }
  },
};
