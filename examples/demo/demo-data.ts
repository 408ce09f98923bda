/**
 * What the demo keeps in its session, and how its store must be built for the devices page.
 *
 * @module
 */

/** The session's data. */
export interface DemoData {
  user: string;
  visits: number;
  /** The `User-Agent` the browser signed in with (at most `MAX_USER_AGENT` characters). */
  userAgent: string;
  /** When the user signed in on this browser, ms since the epoch. */
  signedInAt: number;
}

/** The cookie's and the session's name. */
export const SESSION_NAME = "session";

/**
 * Options for a server store that the devices page needs: an index user → sessions (`owner`), and
 * `list()` returning each session's user agent and sign-in time (`listed`), so the page reads every
 * browser's details in one call without loading the sessions.
 */
export const DEVICE_LISTING: { owner: string; listed: string[] } = {
  owner: "user",
  listed: ["userAgent", "signedInAt"],
};
