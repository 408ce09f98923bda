/**
 * web-sessions/jwt: the `"jwt"` format of `CookieStore` and readers of other libraries' cookies,
 * on jose. Importing this module is what makes `format: "jwt"` available; apps that keep the
 * default format never load jose.
 *
 * @example
 * ```ts
 * import { CookieStore } from "web-sessions";
 * import { deriveJwtKey, fromHonoSession } from "web-sessions/jwt";
 *
 * const store = new CookieStore({ secrets: process.env.SESSION_SECRET!, format: "jwt" });
 * ```
 *
 * @module
 */

import { registerCookieFormat } from "../stores/cookie-format.ts";
import { JwtFormat } from "./format.ts";

export { deriveJwtKey } from "./keys.ts";
export { fromHonoSession } from "./hono-session.ts";
export type { HonoSessionOptions } from "./hono-session.ts";

registerCookieFormat("jwt", ({ secrets, encrypt }) => new JwtFormat(secrets, encrypt));
