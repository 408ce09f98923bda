/**
 * A Chromium for the browser tests, found without anyone installing one by hand: `CHROMIUM_PATH`
 * if set, else the distribution's `/usr/bin/chromium`, else the build that the `@sparticuz/chromium`
 * devDependency ships inside its npm package (unpacked to the temp folder on first use).
 */
import { existsSync } from "node:fs";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

const HOW_TO_GET_CHROMIUM =
  "Run `npm install` (the @sparticuz/chromium devDependency ships a Chromium for Linux x64), " +
  "or install one (Debian/Ubuntu: apt-get install -y chromium) and point CHROMIUM_PATH at it.";

export interface FoundChromium {
  executablePath: string;
  /** Where it came from, for the test's own report. */
  source: "CHROMIUM_PATH" | "system" | "@sparticuz/chromium";
}

/** Finds a Chromium to launch, or throws saying how to get one. */
export async function findChromium(): Promise<FoundChromium> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist. ${HOW_TO_GET_CHROMIUM}`);
    return { executablePath: fromEnv, source: "CHROMIUM_PATH" };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, source: "system" };
  try {
    const { default: packaged } = await import("@sparticuz/chromium");
    return { executablePath: await packaged.executablePath(), source: "@sparticuz/chromium" };
  } catch (error) {
    throw new Error(`No Chromium found: ${(error as Error).message}. ${HOW_TO_GET_CHROMIUM}`, { cause: error });
  }
}
