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
  /** "Chrome 153 on Linux", "Safari 17 on iOS", or "Unknown browser". */
  name: string;
  kind: "computer" | "phone" | "tablet";
}

/** The longest `User-Agent` kept in a session: enough for any real browser, bounded for the store. */
export const MAX_USER_AGENT = 512;

/** Describes the browser behind `userAgent`: any value, as a session listed without one has none. */
export function describeDevice(userAgent: unknown): Device {
  // bowser throws on an empty string; a browser may send none, and older sessions have none.
  if (typeof userAgent !== "string" || userAgent === "") return { name: "Unknown browser", kind: "computer" };
  const { browser, os, platform } = Bowser.parse(userAgent);
  // The major version: enough to recognise a browser, and what browsers themselves show.
  const major = browser.version?.split(".")[0];
  const browserName = browser.name ? (major ? `${browser.name} ${major}` : browser.name) : "Unknown browser";
  const name = os.name ? `${browserName} on ${os.name}` : browserName;
  const kind = platform.type === "mobile" ? "phone" : platform.type === "tablet" ? "tablet" : "computer";
  return { name, kind };
}
