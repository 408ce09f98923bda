// web-sessions/sveltekit in real SvelteKit 2 apps (test/sveltekit-app and examples/sveltekit),
// each built once per run with @sveltejs/adapter-node and served by Node over HTTP on a free
// loopback port, shared by the cases.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, run } from "./support/runtime.ts";
import { SECRET } from "./support/browser.ts";
import { freePort } from "./support/free-port.ts";
import { countThreeTimes, httpGet } from "./runtimes/counter-flow.ts";

const APP = join(REPO, "test", "sveltekit-app");
const EXAMPLE = join(REPO, "examples", "sveltekit");
const KIT = (JSON.parse(readFileSync(join(REPO, "node_modules", "@sveltejs", "kit", "package.json"), "utf8")) as { version: string }).version;

const servers: ChildProcess[] = [];
let base = "";
let exampleBase = "";
let buildSeconds = 0;

/** `vite build` of an app; throws with its output when it fails. */
async function build(dir: string): Promise<void> {
  const { code, output } = await run(process.execPath, [join(REPO, "node_modules", "vite", "bin", "vite.js"), "build"], {}, dir);
  if (code !== 0) throw new Error(`vite build in ${dir} failed (run \`npm ci\` for SvelteKit and its adapter):\n${output}`);
}

/** Starts a built app on a free port and resolves with its origin once it answers. */
async function serve(dir: string, env: Record<string, string>): Promise<string> {
  const origin = `http://127.0.0.1:${await freePort()}`;
  // ORIGIN: adapter-node would otherwise take the request for https, and refuse form posts as cross-site.
  const settings = { PORT: new URL(origin).port, HOST: "127.0.0.1", ORIGIN: origin, ...env };
  const child = spawn(process.execPath, ["build/index.js"], { cwd: dir, env: { ...process.env, ...settings }, stdio: ["ignore", "pipe", "pipe"] });
  servers.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the app exited (${code}):\n${output}`))));
  for (let attempt = 0; attempt < 200; attempt++) {
    const up = await Promise.race([fetch(origin).then(() => true, () => false), exited]);
    if (up) return origin;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the app did not answer within 10 s:\n${output}`);
}

beforeAll(async () => {
  const started = performance.now();
  // One after the other: the machine has two cores, and each build uses them.
  await build(APP);
  await build(EXAMPLE);
  buildSeconds = (performance.now() - started) / 1000;
  // DOWN_URL: an Upstash endpoint where nothing listens, for the store that is down.
  const down = `http://127.0.0.1:${await freePort()}`;
  base = await serve(APP, { SESSION_SECRET: SECRET, DOWN_URL: down });
  exampleBase = await serve(EXAMPLE, { SESSION_SECRET: SECRET });
}, 240_000);

afterAll(() => {
  for (const child of servers) child.kill();
});

const get = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
  fetch(base + path, { redirect: "manual", headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } });
const post = (path: string, form: Record<string, string>, cookie?: string, headers: Record<string, string> = {}) =>
  fetch(base + path, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams(form),
    // What a browser's form post on this origin sends (SvelteKit refuses cross-site ones).
    headers: { Origin: base, Accept: "text/html", ...(cookie ? { Cookie: cookie } : {}), ...headers },
  });
const cookieOf = (response: Response) => response.headers.getSetCookie().map((line) => line.split(";")[0]!).join("; ");
const namesOf = (response: Response) => response.headers.getSetCookie().map((line) => line.slice(0, line.indexOf("=")));
const read = async (cookie: string) => (await get("/read", cookie)).json();

describe(`SvelteKit ${KIT} (adapter-node, served over HTTP)`, () => {
  it("examples/sveltekit counts visits, signs in through a form action and out again", async () => {
    expect(buildSeconds, "the builds ran").toBeGreaterThan(0);
    let cookie = "";
    for (const expected of [1, 2, 3]) {
      const page = await fetch(exampleBase, { headers: { Cookie: cookie } });
      expect(await page.text()).toContain(`<p id="count">Visit ${expected}</p>`);
      cookie = cookieOf(page);
    }
    const form = (action: string, body: Record<string, string>) =>
      fetch(`${exampleBase}/?/${action}`, { method: "POST", redirect: "manual", body: new URLSearchParams(body), headers: { Origin: exampleBase, Accept: "text/html", Cookie: cookie } });
    const signIn = await form("signIn", { user: "ada" });
    expect([signIn.status, signIn.headers.get("Location")]).toEqual([303, "/"]);
    cookie = cookieOf(signIn);
    const signedIn = await (await fetch(exampleBase, { headers: { Cookie: cookie } })).text();
    expect(signedIn).toContain('<p id="user">Signed in as ada</p>');
    expect(signedIn).toContain('<p id="count">Visit 4</p>');
    const signOut = await form("signOut", {});
    expect(signOut.status).toBe(303);
    expect(signOut.headers.getSetCookie()[0]).toMatch(/^session=; Max-Age=0/);
  });

  it("counts 1, 2, 3 in an endpoint as the cookie comes back", async () => {
    expect(await countThreeTimes(httpGet(base), "/counter")).toEqual([1, 2, 3]);
  });

  it("counts in a page's load, saved by autoSave, and the page shows it", async () => {
    const first = await get("/page");
    expect(await first.text()).toContain('<p id="count">1</p>');
    expect(namesOf(first)).toEqual(["session"]);
    const second = await get("/page", cookieOf(first));
    expect(await second.text()).toContain('<p id="count">2</p>');
  });

  it("autoSave writes a changed session; a request that only reads sends no Set-Cookie", async () => {
    const auto = await get("/auto");
    expect(await auto.text()).toBe("changed");
    expect(namesOf(auto)).toEqual(["session"]);
    const reading = await get("/read", cookieOf(auto));
    expect(await reading.json()).toEqual({ count: 41, user: null, saved: null, unsaved: null });
    expect(namesOf(reading)).toEqual([]);
  });

  it("a redirect() thrown from a load carries the Set-Cookie", async () => {
    const response = await get("/login?as=grace");
    expect(response.status).toBe(307);
    expect(response.headers.get("Location")).toBe("/me");
    expect(namesOf(response)).toEqual(["session"]);
    expect(await (await get("/me", cookieOf(response))).json()).toMatchObject({ user: "grace" });
  });

  it("a form action that regenerates and throws redirect() carries the new cookie, and the old id is gone", async () => {
    const before = await get("/counter");
    const old = cookieOf(before);
    const { id: oldId } = (await (await get("/me", old)).json()) as { id: string };
    const login = await post("/login", { user: "ada" }, old);
    expect(login.status).toBe(303);
    expect(login.headers.get("Location")).toBe("/me");
    const me = (await (await get("/me", cookieOf(login))).json()) as { user: string; id: string };
    expect(me.user).toBe("ada");
    expect(me.id).not.toBe(oldId);
    expect(await read(old)).toEqual({ count: null, user: null, saved: null, unsaved: null });
  });

  it("a form action's result (a page, and the JSON of use:enhance) carries the flash it added; fail() too", async () => {
    const added = await post("/flash?/add", { text: "hello" });
    expect(added.status).toBe(200);
    // A plain form post renders the page after the action: its load takes the flash at once.
    const page = await added.text();
    expect(page).toContain('<p id="added">hello</p>');
    expect(page).toContain('<p id="flashes">hello</p>');
    expect(namesOf(added)).toEqual(["session"]);
    const enhanced = await post("/flash?/add", { text: "again" }, cookieOf(added), { Accept: "application/json", "x-sveltekit-action": "true" });
    expect(await enhanced.json()).toMatchObject({ type: "success", status: 200 });
    expect(namesOf(enhanced)).toEqual(["session"]);
    const shown = await get("/flash", cookieOf(enhanced));
    expect(await shown.text()).toContain('<p id="flashes">again</p>');
    expect(namesOf(shown), "flashes() took them: saved by autoSave").toEqual(["session"]);
    expect(await (await get("/flash", cookieOf(shown))).text()).toContain('<p id="flashes"></p>');
    const failed = await post("/flash?/add", { text: "" });
    expect(failed.status).toBe(400);
    expect(await failed.text()).toContain('<p id="missing">missing</p>');
  });

  it("an error response (endpoint 500, load error(503)) still carries the Set-Cookie of the save before it; later changes are not auto-saved", async () => {
    const boom = await get("/boom", undefined, { Accept: "application/json" });
    expect(boom.status).toBe(500);
    expect(namesOf(boom)).toEqual(["session"]);
    expect(await read(cookieOf(boom))).toEqual({ count: null, user: null, saved: 1, unsaved: null });
    const page = await get("/boom-page");
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('<p id="error">503 unavailable</p>');
    expect(namesOf(page)).toEqual(["session"]);
    // error(503) is under 500-and-up's rule too: only the explicit save reached the store.
    expect(await read(cookieOf(page))).toEqual({ count: null, user: null, saved: 1, unsaved: null });
  });

  it("several names: locals.sessions by name, one cookie each, no locals.session, loadSession() wants a name", async () => {
    const first = await get("/many");
    expect(await first.json()).toEqual({ cart: 1, prefsNew: true, session: "absent", unnamed: "ERR_SESSION_MISSING" });
    expect(namesOf(first)).toEqual(["cart"]);
    const second = await get("/many", cookieOf(first));
    expect(await second.json()).toMatchObject({ cart: 2 });
  });

  it("two Handles in a sequence(), a store each: both sessions on locals.sessions, no locals.session, both cookies", async () => {
    const first = await get("/two");
    expect(await first.json()).toEqual({ auth: 1, cart: 10, session: "absent" });
    expect(namesOf(first).sort()).toEqual(["auth", "cart"]);
    const second = await get("/two", cookieOf(first));
    expect(await second.json()).toEqual({ auth: 2, cart: 20, session: "absent" });
  });

  it("a tampered or garbage cookie is a new empty session, never a 500", async () => {
    const first = await get("/counter");
    const value = cookieOf(first).slice("session=".length);
    const flipped = value.slice(0, -2) + (value.at(-2) === "A" ? "B" : "A") + value.at(-1);
    for (const cookie of [`session=${flipped}`, "session=garbage", "session=", "session=%%%"]) {
      const response = await get("/counter", cookie);
      expect(response.status, cookie).toBe(200);
      expect(await response.json(), cookie).toEqual({ count: 1 });
    }
  });

  it("a store that is down fails saving and loading through SvelteKit's handleError with ERR_SESSION_STORE", async () => {
    const save = await get("/down", undefined, { Accept: "application/json" });
    expect(save.status).toBe(500);
    expect(await save.json()).toEqual({ message: "ERR_SESSION_STORE" });
    expect(namesOf(save)).toEqual([]);
    // A cookie whose signature holds (the same secret in the app's MemoryStore) makes loading ask the store.
    const minted = cookieOf(await get("/counter"));
    const load = await get("/down", minted, { Accept: "application/json" });
    expect(load.status).toBe(500);
    expect(await load.text()).toContain("ERR_SESSION_STORE");
  });
});
