/**
 * What the devices page says about a browser, from the `User-Agent` it signed in with: "Firefox 133
 * on Windows", and whether it is a phone, a tablet or a computer (for the icon). Parsed by bowser
 * (MIT), which keeps up with new browsers so the demo does not have to.
 *
 * @module
 */

import Bowser from "bowser";

/** How the devices page shows one browser. */
export interface Device {
  /** "Chrome 153 on Linux", "Safari 17.4 on iOS", or "Unknown browser". */
  name: string;
  kind: "computer" | "phone" | "tablet";
}

/** The longest `User-Agent` kept in a session: enough for any real browser, bounded for the store. */
export const MAX_USER_AGENT = 512;

/** The major version only, except when it alone says little (Safari's "17.4"). */
function shortVersion(version: string | undefined): string | undefined {
  if (!version) return undefined;
  const [major, minor] = version.split(".");
  return minor !== undefined && minor !== "0" && Number(major) < 100 ? `${major}.${minor}` : major;
}

/** Describes the browser behind `userAgent` (undefined or empty for a session without one). */
export function describeDevice(userAgent: string | undefined): Device {
  // bowser throws on an empty string; a session from before the demo kept user agents has none.
  if (!userAgent) return { name: "Unknown browser", kind: "computer" };
  const { browser, os, platform } = Bowser.parse(userAgent);
  const version = shortVersion(browser.version);
  const browserName = browser.name ? [browser.name, version].filter(Boolean).join(" ") : "Unknown browser";
  const name = os.name ? `${browserName} on ${os.name}` : browserName;
  const kind = platform.type === "mobile" ? "phone" : platform.type === "tablet" ? "tablet" : "computer";
  return { name, kind };
}
