// What handleSessions puts on event.locals, typed with the session's data.
import type { SessionLocals } from "../../../adapters/sveltekit.ts";

declare global {
  namespace App {
    interface Locals extends SessionLocals<{ count: number; user: string }> {}
  }
}

export {};
