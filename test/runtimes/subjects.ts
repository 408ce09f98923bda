/** The stores the conformance suite runs against under Deno and Bun (vitest: test/stores/). */
import type { StoreUnderTest } from "../conformance-suite.ts";
import { CookieStore } from "../../src/stores/cookie.ts";
import { MemoryStore } from "../../src/stores/memory.ts";
import { SECRET } from "../support/browser.ts";

export const subjects: Record<string, StoreUnderTest> = {
  "CookieStore (encrypted)": {
    make: (secrets = [SECRET]) => new CookieStore({ secrets }),
    serverSide: false,
    sharedBackend: true,
  },
  "CookieStore (signed only)": {
    make: (secrets = [SECRET]) => new CookieStore({ secrets, encrypt: false }),
    serverSide: false,
    sharedBackend: true,
  },
  MemoryStore: {
    make: (secrets = [SECRET]) => new MemoryStore({ secrets }),
    serverSide: true,
    sharedBackend: false,
  },
};
