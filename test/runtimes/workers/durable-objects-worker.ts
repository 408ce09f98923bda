/**
 * A module Worker that runs DurableObjectStore's tests inside workerd: the store conformance suite
 * (every case, server-store races included) and durable-objects-cases.ts, against real
 * SessionsObjects. `GET /cases` lists the case names; `POST /run?case=NAME` runs one and answers
 * `{ ok: true }` or `{ ok: false, error }`. test/durable-objects.test.ts drives it from vitest.
 */
import { SessionsObject, DurableObjectStore } from "../../../src/stores/durable-objects.ts";
import { storeConformance } from "../../../testing/index.ts";
import { scopedRunner } from "../../support/assert.ts";
import { SECRET } from "../../support/browser.ts";
import { durableObjectCases } from "./durable-objects-cases.ts";
import type { DurableObjectsEnv } from "./durable-objects-cases.ts";

export { SessionsObject };

/** Fails every call the way an overloaded object does (workerd sets `overloaded` on such errors). */
export class OverloadedSessionsObject extends SessionsObject {
  override load(): never {
    throw overloaded();
  }
  override save(): never {
    throw overloaded();
  }
  override end(): never {
    throw overloaded();
  }
  override indexEntries(): never {
    throw overloaded();
  }
}

/** Resets itself on every call, as an object does that exceeded its limits or was redeployed. */
export class ResettingSessionsObject extends SessionsObject {
  override load(): never {
    return this.#abort();
  }
  override save(): never {
    return this.#abort();
  }
  override end(): never {
    return this.#abort();
  }
  override indexEntries(): never {
    return this.#abort();
  }
  #abort(): never {
    (this.ctx as unknown as { abort(reason: string): void }).abort("reset for the test");
    throw new Error("unreachable: ctx.abort() returned");
  }
}

function overloaded(): Error {
  return Object.assign(new Error("Durable Object is overloaded. Too many requests queued."), { overloaded: true, retryable: false });
}

let current: DurableObjectsEnv | undefined;
const env = (): DurableObjectsEnv => current!;

const cases = new Map<string, () => Promise<void>>();
const runner = scopedRunner((name, body) => void cases.set(name, body));

storeConformance(runner, "DurableObjectStore", {
  make: (secrets = [SECRET], options) => new DurableObjectStore({ namespace: env().SESSIONS, secrets, ...options }),
  serverSide: true,
  // Every store made here reaches the same objects, as every instance of a Worker does.
  sharedBackend: true,
});
runner.describe("DurableObjectStore in workerd", () => durableObjectCases(runner.it, env));

export default {
  async fetch(request: Request, bindings: DurableObjectsEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/cases") return Response.json([...cases.keys()]);
    const body = cases.get(url.searchParams.get("case") ?? "");
    if (!body) return new Response("no such case", { status: 404 });
    current = bindings;
    try {
      await body();
      return Response.json({ ok: true });
    } catch (error) {
      return Response.json({ ok: false, error: error instanceof Error ? `${error.stack ?? error.message}` : String(error) });
    }
  },
};
