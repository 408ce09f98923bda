// The cookie store's chunks and JWT format through web-sessions/workers in workerd (Miniflare),
// and the bundle of a compact-format Worker, which must not carry jose.
import { Miniflare } from "miniflare";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "./support/runtime.ts";
import { SECRET } from "./support/browser.ts";
import { bundleForWorkerd } from "./support/workerd-bundle.ts";

// Error codes only jose's own code contains.
const JOSE = /ERR_JWE_DECRYPTION_FAILED|ERR_JWS_SIGNATURE_VERIFICATION_FAILED/;

describe("a chunked and a JWT-format session through web-sessions/workers in workerd", () => {
  let mf: Miniflare;
  beforeAll(async () => {
    const script = await bundleForWorkerd(join(REPO, "test/runtimes/workers/formats-worker.ts"));
    mf = new Miniflare({ modules: true, script, compatibilityDate: "2025-09-01", bindings: { SESSION_SECRET: SECRET } });
    await mf.ready;
  }, 30_000);
  afterAll(async () => {
    await mf?.dispose();
  });

  /** POSTs `/base/grow` three times, each with the cookies the last response left, then reads. */
  async function grow(base: string, by: number) {
    const jar = new Map<string, string>();
    const lines: string[][] = [];
    const request = async (method: string, path: string) => {
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
      const response = await mf.dispatchFetch(`http://localhost${base}${path}`, { method, headers: cookie ? { Cookie: cookie } : {} });
      const set = response.headers.getSetCookie();
      lines.push(set);
      for (const line of set) {
        const pair = line.slice(0, line.indexOf(";"));
        const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
        if (/Max-Age=0;/.test(line)) jar.delete(name);
        else jar.set(name, value);
      }
      return response.json() as Promise<{ isNew: boolean; size: number }>;
    };
    const sizes = [];
    for (let i = 0; i < 3; i++) sizes.push((await request("POST", `/grow?by=${by}`)).size);
    return { sizes, last: await request("GET", "/"), lines, jar };
  }

  it("keeps a session of 9,000 characters in chunks, every whole Set-Cookie line within 4096 bytes", async () => {
    const { sizes, last, lines, jar } = await grow("/chunked", 3000);
    expect(sizes).toEqual([3000, 6000, 9000]);
    expect(last).toEqual({ isNew: false, size: 9000 });
    expect([...jar.keys()]).toEqual(["session", "session.1", "session.2", "session.3"]);
    for (const line of lines.flat()) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(4096);
  }, 30_000);

  it("keeps a JWT-format session: the cookie is a five-part JWE", async () => {
    const { sizes, last, jar } = await grow("/jwt", 500);
    expect(sizes).toEqual([500, 1000, 1500]);
    expect(last).toEqual({ isNew: false, size: 1500 });
    expect(jar.get("session")!.split(".")).toHaveLength(5);
  }, 30_000);
});

describe("the bundle of a compact-format Worker", () => {
  it("holds no jose: the JWT format is only in Workers that import web-sessions/jwt", async () => {
    const compact = await bundleForWorkerd(join(REPO, "test/runtimes/workers/compact-worker.ts"));
    const withJwt = await bundleForWorkerd(join(REPO, "test/runtimes/workers/formats-worker.ts"));
    expect(withJwt).toMatch(JOSE);
    expect(compact).not.toMatch(JOSE);
    expect(compact).not.toContain("session jwe cek");
    expect(compact).toContain("ERR_SESSION_COOKIE_TOO_LARGE");
    // jose's JWE and JWS code is tens of kilobytes; none of it may be in the compact bundle.
    expect(withJwt.length - compact.length).toBeGreaterThan(20_000);
  }, 30_000);
});
