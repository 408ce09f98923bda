/** Bundles a worker entry for workerd, as `wrangler deploy` does. */
import { build } from "esbuild";

export async function bundleForWorkerd(entry: string, absWorkingDir?: string): Promise<string> {
  const result = await build({
    absWorkingDir,
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}
