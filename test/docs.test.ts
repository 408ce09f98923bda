// The docs (README.md, SECURITY.md, docs/): every link resolves, every page is reachable from the
// README, and every TypeScript block type-checks against the package's sources: blocks that use
// Deno's globals under `deno check`, the others under tsc with Bun's and Node's types. A block whose
// first line names its file (`// app/actions.ts`) is written at that path beside the page's other
// named blocks, so one can import another as an app's files do.
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { anchors, codeBlocks, linkTargets } from "./support/markdown.ts";
import { REPO, binary, run } from "./support/runtime.ts";

function markdownUnder(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownUnder(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

const pages = ["README.md", "SECURITY.md", ...markdownUnder("docs")];
const text = new Map(pages.map((page) => [page, readFileSync(join(REPO, page), "utf8")]));

/** Where a link of `page` leads: a repository path (or "" for the page itself) and an anchor. */
function target(page: string, link: string): { path: string; anchor: string | undefined } {
  const [path = "", anchor] = link.split("#");
  return { path: path === "" ? page : relative(REPO, resolve(REPO, dirname(page), decodeURI(path))), anchor };
}

function exists(path: string): boolean {
  try {
    statSync(join(REPO, path));
    return true;
  } catch {
    return false;
  }
}

describe("the docs", () => {
  it("link only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const link of linkTargets(text.get(page)!)) {
        if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
        const { path, anchor } = target(page, link);
        if (!exists(path)) broken.push(`${page}: ${link} (no file ${path})`);
        else if (anchor !== undefined && path.endsWith(".md") && !anchors(readFileSync(join(REPO, path), "utf8")).has(anchor)) {
          broken.push(`${page}: ${link} (no heading #${anchor} in ${path})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("are all reachable from the README", () => {
    const reached = new Set(["README.md"]);
    const queue = ["README.md"];
    while (queue.length > 0) {
      const page = queue.shift()!;
      for (const link of linkTargets(text.get(page)!)) {
        const { path } = target(page, link);
        if (text.has(path) && !reached.has(path)) {
          reached.add(path);
          queue.push(path);
        }
      }
    }
    expect(pages.filter((page) => !reached.has(page))).toEqual([]);
  });
});

describe("the docs' TypeScript blocks", () => {
  const work = join(REPO, ".docs-check");
  rmSync(work, { recursive: true, force: true });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // "web-sessions/x" → the source file package.json's export "./x" is built from.
  const exports = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).exports as Record<string, { default?: string }>;
  const sources = new Map<string, string>();
  for (const [subpath, entry] of Object.entries(exports)) {
    if (!entry.default) continue;
    sources.set(join("web-sessions", subpath), entry.default.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"));
  }

  /** Writes each block as its own module, package imports pointed at the sources. */
  function writeBlocks(folder: string, useDeno: boolean): string[] {
    mkdirSync(join(work, folder), { recursive: true });
    const files: string[] = [];
    for (const page of pages) {
      for (const block of codeBlocks(text.get(page)!)) {
        if (!["ts", "tsx", "typescript"].includes(block.lang)) continue;
        const whole = `${block.context}\n${block.code}`;
        if (/\bDeno\./.test(whole) !== useDeno) continue;
        const named = /^\/\/ ((?:[\w.-]+\/)*[\w.-]+\.tsx?)$/.exec(block.code.split("\n")[0]!)?.[1];
        const pageFolder = join(work, folder, page.replace(/[/.]/g, "_"));
        const file = join(pageFolder, named ?? `line${block.line}.${block.lang === "tsx" ? "tsx" : "ts"}`);
        mkdirSync(dirname(file), { recursive: true });
        const rewritten = whole.replace(/(["'])(web-sessions(?:\/[\w-]+)?)\1/g, (specifier, _quote, name: string) => {
          const source = sources.get(name);
          return source ? JSON.stringify(relative(dirname(file), join(REPO, source))) : specifier;
        });
        writeFileSync(file, `${rewritten}\nexport {};\n`);
        files.push(file);
      }
    }
    return files;
  }

  it("type-check under tsc (Bun's and Node's types)", async () => {
    const files = writeBlocks("tsc", false);
    expect(files.length).toBeGreaterThan(10);
    // What SvelteKit generates for an app's environment, which its page imports.
    writeFileSync(join(work, "tsc", "sveltekit-env.d.ts"), 'declare module "$env/dynamic/private" { export const env: Record<string, string | undefined> }\n');
    const config = {
      extends: "../../tsconfig.json",
      compilerOptions: { types: ["bun"], jsx: "react-jsx", noUnusedLocals: false },
      files: ["sveltekit-env.d.ts", ...files.map((file) => relative(join(work, "tsc"), file))],
    };
    writeFileSync(join(work, "tsc", "tsconfig.json"), JSON.stringify(config));
    const { code, output } = await run(binary("tsc"), ["-p", join(work, "tsc", "tsconfig.json"), "--pretty", "false"]);
    expect(output.replaceAll(work, ""), output).toBe("");
    expect(code).toBe(0);
  }, 120_000);

  it("type-check under deno check (Deno's globals)", async () => {
    const files = writeBlocks("deno", true);
    expect(files.length).toBeGreaterThan(2);
    const { code, output } = await run(binary("deno"), ["check", "--config", "deno.json", ...files], { DENO_DIR: join(REPO, ".deno") });
    expect(code, output).toBe(0);
  }, 120_000);
});
