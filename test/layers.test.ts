// The layers of the code only point down (DESIGN.md, "Shape of the code"): read from the import
// lines of every library file, so a new arrow the wrong way fails here rather than in review.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Each library file and the files its relative imports (`import` and `export ... from`) name. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...sourceFiles("src"), ...sourceFiles("adapters")]) {
    const text = readFileSync(join(root, file), "utf8");
    const targets = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"/gms)].map((match) =>
      normalize(join(dirname(file), match[1]!)),
    );
    graph.set(file, targets);
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === "done") return undefined;
    if (state.get(file) === "open") return [...path.slice(path.indexOf(file)), file];
    state.set(file, "open");
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, "done");
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe("the layers of the code", () => {
  const graph = importGraph();

  it("reads every library file's imports", () => {
    expect(graph.get(join("src", "stores", "redis.ts"))).toContain(join("src", "server-store", "redis", "driver.ts"));
    expect(findCycle(new Map([["a", ["b"]], ["b", ["a"]]]))).toEqual(["a", "b", "a"]);
  });

  it("has no import cycle", () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it("keeps the engine below the stores built on it, and the core below the adapters", () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        const arrow = `${file} -> ${relative(root, join(root, target))}`;
        if (file.startsWith(join("src", "server-store")) && target.startsWith(join("src", "stores"))) upward.push(arrow);
        if (file.startsWith("src") && target.startsWith("adapters")) upward.push(arrow);
      }
    }
    expect(upward).toEqual([]);
  });

  it("lets each adapter reach its own framework only, and the core none", () => {
    // Bare imports of a file and of every library file it reaches through relative imports.
    const packagesOf = (file: string, seen = new Set<string>()): Set<string> => {
      const found = new Set<string>();
      if (seen.has(file)) return found;
      seen.add(file);
      const text = readFileSync(join(root, file), "utf8");
      for (const match of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"([^".][^"]*)"/gms)) {
        found.add(match[1]!.startsWith("@") ? match[1]!.split("/").slice(0, 2).join("/") : match[1]!.split("/")[0]!);
      }
      for (const target of graph.get(file) ?? []) for (const name of packagesOf(target, seen)) found.add(name);
      return found;
    };
    const frameworks = ["hono", "next", "react", "elysia", "@sveltejs/kit"];
    const reached = (file: string) => [...packagesOf(file)].filter((name) => frameworks.includes(name)).sort();
    expect(reached(join("adapters", "next.ts"))).toEqual(["next"]);
    expect(reached(join("adapters", "hono.ts"))).toEqual(["hono"]);
    for (const adapter of ["workers.ts", "deno.ts", "bun.ts"]) expect(reached(join("adapters", adapter)), adapter).toEqual([]);
    for (const file of graph.keys()) if (file.startsWith("src")) expect(reached(file), file).toEqual([]);
  });
});
