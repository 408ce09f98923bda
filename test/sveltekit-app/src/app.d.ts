// The App.Locals typing the docs show, checked by `npm run typecheck` (tsconfig.test.json).
import type { SessionLocals } from "../../../adapters/sveltekit.ts";

declare global {
  namespace App {
    interface Locals extends SessionLocals<{ count: number; user: string; saved: number; unsaved: number }> {}
  }
}

export {};
