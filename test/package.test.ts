// The package as users get it: `npm pack`, installed into a fresh project from tarballs alone
// (offline), then every subpath imported under Node, Deno, Bun and in a workerd bundle, and the
// .d.ts files type-checked as a user's project would.
import { Miniflare } from "miniflare";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, binary, run, versionOf } from "./support/runtime.ts";
import { startUpstashEndpoint } from "./support/upstash-endpoint.ts";
import { bundleForWorkerd } from "./support/workerd-bundle.ts";
import type { UpstashEndpoint } from "./support/upstash-endpoint.ts";

const EXPORTS: Record<string, string[]> = {
  "web-sessions": ["CookieStore", "MemoryStore", "Session", "SessionError", "getSession", "loadSession", "withSessions"],
  "web-sessions/hono": ["getSession", "loadSession", "manySessions", "sessions"],
  "web-sessions/workers": ["getSession", "loadSession", "withSessions"],
  "web-sessions/deno": ["getSession", "loadSession", "withSessions"],
  "web-sessions/bun": ["getSession", "loadSession", "withSessions"],
  // Loads nothing of SvelteKit (its types only): imported everywhere without SvelteKit installed.
  "web-sessions/sveltekit": ["handleSessions"],
  "web-sessions/upstash": ["UpstashRedisStore"],
  "web-sessions/redis": ["RedisStore"],
  "web-sessions/jwt": ["deriveJwtKey", "fromHonoSession"],
  "web-sessions/deno-kv": ["DenoKvStore"],
  "web-sessions/postgres": ["PostgresStore"],
  "web-sessions/sqlite": ["SqliteStore"],
  "web-sessions/testing": ["TestBrowser", "setCookieFor", "storeConformance"],
};
// Subpaths for Workers only (they import `cloudflare:workers`): imported by the workerd bundle alone.
const WORKERD_EXPORTS: Record<string, string[]> = {
  "web-sessions/durable-objects": ["DurableObjectStore", "SessionsObject"],
};
// Subpaths that load their framework, which the consumer project does not install: checked by
// their import graph below, not imported (test/elysia.test.ts and test/next.test.ts run them
// inside their frameworks).
const FRAMEWORK_EXPORTS = ["web-sessions/elysia", "web-sessions/next"];
// The packages each adapter's import graph reaches (through dist/, transitively): at most its own
// framework, so importing one adapter never loads another framework. The Hono and SvelteKit
// adapters use their framework's types only.
const ADAPTER_PACKAGES: Record<string, string[]> = {
  "web-sessions/hono": [],
  "web-sessions/elysia": ["elysia"],
  "web-sessions/next": ["next"],
  "web-sessions/sveltekit": [],
  "web-sessions/workers": [],
  "web-sessions/deno": [],
  "web-sessions/bun": [],
};
// What test/package/probe.js reports: each subpath's exports, and two requests (without, then
// with the cookie) through each of its four wrappers and a Hono app with a CookieStore, then the
// Workers wrapper with a chunked JWT-format CookieStore (web-sessions/jwt loads jose), then
// through the Workers wrapper with a lazy UpstashRedisStore session talking to the test endpoint.
const PROBE = { exports: EXPORTS, counts: [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2] };

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let dir = "";
let app = "";
let packed: Packed;
let endpoint: UpstashEndpoint;
let upstashEnv: Record<string, string>;

/** Runs npm and resolves with its stdout; rejects with all its output when it fails. */
async function npm(args: string[], cwd: string): Promise<string> {
  const { code, output, stdout } = await run("npm", args, {}, cwd);
  if (code !== 0) throw new Error(`npm ${args.join(" ")} failed (${code}):\n${output}`);
  return stdout;
}

/** `npm pack --json` into the temporary folder; lifecycle output (our prepack) precedes the JSON. */
async function pack(what: string[], flags: string[] = []): Promise<Packed[]> {
  const output = await npm(["pack", "--json", "--pack-destination", dir, ...flags, ...what], REPO);
  return JSON.parse(output.slice(output.search(/^\[/m))) as Packed[];
}

/** Runs a runtime on run.js inside the installed project and parses the JSON it prints. */
async function probeWith(file: string, args: string[], env: Record<string, string> = {}): Promise<unknown> {
  const { code, output, stdout } = await run(file, [...args, "run.js"], { ...upstashEnv, ...env }, app);
  expect(code, output).toBe(0);
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "web-sessions-package-"));
  app = join(dir, "app");
  mkdirSync(app);
  [packed] = (await pack([])) as [Packed]; // prepack builds dist/ first
  // The package's one dependency (jose) and the optional peers (hono; @upstash/redis and its own
  // dependency) are packed from this checkout's node_modules, so the install needs no registry.
  // They are packed as installed, without their own build scripts.
  const deps = await pack(
    ["jose", "hono", "@upstash/redis", "uncrypto"].map((name) => join(REPO, "node_modules", name)),
    ["--ignore-scripts"],
  );
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  writeFileSync(join(app, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }));
  const tarballs = [packed, ...deps].map((each) => join(dir, each.filename));
  await npm(["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", ...tarballs], app);
  for (const file of ["probe.js", "run.js", "worker.js", "consumer.ts"]) {
    copyFileSync(join(REPO, "test", "package", file), join(app, file));
  }
  // What a Worker's project declares of `cloudflare:workers` (its Workers types), for consumer.ts.
  copyFileSync(join(REPO, "src", "server-store", "durable-objects", "cloudflare-workers.d.ts"), join(app, "cloudflare-workers.d.ts"));
}, 180_000);

beforeAll(async () => {
  endpoint = await startUpstashEndpoint();
  upstashEnv = { UPSTASH_URL: endpoint.url, UPSTASH_TOKEN: endpoint.token };
});

afterAll(async () => {
  await endpoint?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("npm pack", () => {
  it("contains dist (JavaScript and .d.ts), README, LICENSE and package.json, and nothing else", () => {
    const paths = packed.files.map((file) => file.path).sort();
    const stray = paths.filter((path) => !/^dist\/.+\.(js|d\.ts)$/.test(path) && !["LICENSE", "README.md", "package.json"].includes(path));
    expect(stray).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json"]));
    // Every export target is in the tarball.
    const { exports } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
      exports: Record<string, string | { types: string; default: string }>;
    };
    expect(Object.keys(exports).filter((key) => key !== "./package.json").map((key) => `web-sessions${key.slice(1)}`).sort()).toEqual([...Object.keys({ ...EXPORTS, ...WORKERD_EXPORTS }), ...FRAMEWORK_EXPORTS].sort());
    for (const target of Object.values(exports)) {
      for (const path of typeof target === "string" ? [target] : [target.types, target.default]) {
        expect(paths).toContain(path.replace(/^\.\//, ""));
      }
    }
    // No test, example, source map or TypeScript source slipped in.
    expect(paths.filter((path) => /(^|\/)(test|examples|bench)\/|\.map$|(?<!\.d)\.ts$/.test(path))).toEqual([]);
  });
});

/** The packages a dist module reaches through its imports, transitively (esbuild follows them). */
async function packagesReached(file: string): Promise<Set<string>> {
  const { metafile } = await build({ entryPoints: [file], bundle: true, write: false, metafile: true, format: "esm", platform: "neutral", packages: "external", logLevel: "silent" });
  const found = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const { path, external } of input.imports) {
      if (external) found.add(path.startsWith("@") ? path.split("/").slice(0, 2).join("/") : path.split("/")[0]!);
    }
  }
  return found;
}

describe("the installed package", () => {
  it("loads, for each adapter, its own framework and no other (jose aside, the core's one dependency)", async () => {
    const { exports } = JSON.parse(readFileSync(join(app, "node_modules", "web-sessions", "package.json"), "utf8")) as {
      exports: Record<string, { default: string }>;
    };
    const reached = Object.fromEntries(
      await Promise.all(
        Object.keys(ADAPTER_PACKAGES).map(async (path) => {
          const file = join(app, "node_modules", "web-sessions", exports[`.${path.slice("web-sessions".length)}`]!.default);
          return [path, [...(await packagesReached(file))].filter((name) => name !== "jose").sort()] as const;
        }),
      ),
    );
    expect(reached).toEqual(ADAPTER_PACKAGES);
  });

  it(`imports every subpath and keeps a session under Node ${process.version}`, async () => {
    expect(await probeWith(process.execPath, [])).toEqual(PROBE);
  }, 60_000);

  it(`imports every subpath and keeps a session under ${versionOf("deno")}`, async () => {
    expect(await probeWith(binary("deno"), ["run", "-A"], { DENO_DIR: join(dir, "deno-dir") })).toEqual(PROBE);
  }, 60_000);

  it(`imports every subpath and keeps a session under Bun ${versionOf("bun")}`, async () => {
    expect(await probeWith(binary("bun"), [])).toEqual(PROBE);
  }, 60_000);

  it("imports every subpath and keeps a session in a workerd bundle, in a Durable Object too", async () => {
    const script = await bundleForWorkerd("worker.js", app);
    const mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: "2025-09-01",
      bindings: upstashEnv,
      durableObjects: { SESSIONS: { className: "SessionsObject", useSQLite: true } },
    });
    try {
      const response = await mf.dispatchFetch("http://localhost/");
      // worker.js adds the Workers-only subpaths and two requests through a DurableObjectStore.
      expect(await response.json()).toEqual({ exports: { ...EXPORTS, ...WORKERD_EXPORTS }, counts: [...PROBE.counts, 1, 2] });
    } finally {
      await mf.dispose();
    }
  }, 60_000);

  for (const [module, moduleResolution] of [
    ["NodeNext", "NodeNext"],
    ["ESNext", "Bundler"],
  ] as const) {
    it(`type-checks a user's code against the .d.ts files (moduleResolution ${moduleResolution}, skipLibCheck off)`, async () => {
      const tsconfig = `tsconfig.${moduleResolution}.json`;
      writeFileSync(
        join(app, tsconfig),
        JSON.stringify({
          compilerOptions: { target: "ES2022", lib: ["ES2022", "DOM"], module, moduleResolution, types: [], strict: true, noEmit: true, skipLibCheck: false },
          files: ["consumer.ts", "cloudflare-workers.d.ts"],
        }),
      );
      const { code, output } = await run(process.execPath, [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", tsconfig], {}, app);
      expect({ code, output }).toEqual({ code: 0, output: "" });
    }, 60_000);
  }
});
