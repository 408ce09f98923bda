// adapters/sveltekit.ts in process: the Handle called as SvelteKit calls it, with an event and a
// resolve of the test's own. test/sveltekit.test.ts runs the same Handle in a real SvelteKit app;
// this file keeps its edge cases fast enough for mutation testing.
import { describe, expect, it } from "vitest";
import type { RequestEvent, ResolveOptions } from "@sveltejs/kit";
import { handleSessions } from "../adapters/sveltekit.ts";
import type { SessionLocals } from "../adapters/sveltekit.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import type { SessionsConfig } from "../src/jar.ts";
import { SECRET } from "./support/browser.ts";

type Locals = SessionLocals<{ n: number }>;

/** Runs the Handle for one request: `body` plays the route, on `locals`, and returns its Response. */
function request(
  config: Omit<SessionsConfig, "onError">,
  body: (locals: Locals) => Response | Promise<Response>,
  cookie?: string,
): Promise<Response> {
  const handle = handleSessions(config);
  const event = { request: new Request("http://localhost/", { headers: cookie ? { Cookie: cookie } : {} }), locals: {} } as unknown as RequestEvent;
  const resolve = async (resolved: RequestEvent, _options?: ResolveOptions) => body(resolved.locals as unknown as Locals);
  return Promise.resolve(handle({ event, resolve }));
}

const cookieOf = (response: Response) => response.headers.getSetCookie().map((line) => line.split(";")[0]!).join("; ");

describe("handleSessions", () => {
  it("puts the sessions on locals and the Set-Cookie on the resolved response", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    const first = await request({ store }, async (locals) => {
      locals.session.set("n", 1);
      await locals.session.save();
      return new Response("ok");
    });
    expect(await first.text()).toBe("ok");
    expect(first.headers.getSetCookie()).toHaveLength(1);
    const second = await request({ store }, (locals) => new Response(String(locals.session.get("n"))), cookieOf(first));
    expect(await second.text()).toBe("1");
    expect(second.headers.getSetCookie()).toEqual([]);
  });

  it("copies a response whose headers are immutable (Response.redirect) to add the cookie", async () => {
    const response = await request({ store: new MemoryStore({ secrets: SECRET }) }, async (locals) => {
      locals.session.set("n", 1);
      await locals.session.save();
      return Response.redirect("http://localhost/next", 303);
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("http://localhost/next");
    expect(response.headers.getSetCookie()).toHaveLength(1);
  });

  it("autoSaves up to status 499; from 500 only the explicit saves go out", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    const route = (status: number) => async (locals: Locals) => {
      locals.sessions.session!.set("n", status);
      return new Response(null, { status });
    };
    const client = await request({ store, autoSave: true }, route(499));
    expect(client.headers.getSetCookie()).toHaveLength(1);
    const server = await request({ store, autoSave: true }, route(500));
    expect(server.headers.getSetCookie()).toEqual([]);
    const saved = await request({ store, autoSave: true }, async (locals) => {
      locals.session.set("n", 1);
      await locals.session.save();
      locals.session.set("n", 2);
      return new Response(null, { status: 500 });
    });
    const read = await request({ store }, (locals) => new Response(String(locals.session.get("n"))), cookieOf(saved));
    expect(await read.text()).toBe("1");
  });

  it("throws ERR_SESSION_CONFIG when built with a wrong configuration", () => {
    expect(() => handleSessions({ store: new MemoryStore({ secrets: SECRET }), names: [] })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_CONFIG" }),
    );
  });
});
