/**
 * Reading @hono/session's cookies, so an app moving from it signs nobody out.
 *
 * @hono/session 0.2 seals its whole payload as a jose JWE (`alg: "dir"`, `enc: "A256GCM"`) with a
 * key of HKDF-SHA-256 over the secret (empty salt, info `"session jwe cek"`, 32 bytes). Its claims
 * are `sid`, `iat`, `exp` (only with a `duration`) and the session data as the other claims.
 *
 * @module
 */

import { jwtDecrypt } from "jose";
import type { JWTPayload } from "jose";
import { encodeBase64url } from "../base64url.ts";
import { assertConfig } from "../errors.ts";
import type { CookieReader } from "../stores/cookie-format.ts";
import type { StoredSession } from "../store.ts";
import { COMPACT_JWT, toDataMap } from "./format.ts";

/** Options of {@link fromHonoSession}. */
export interface HonoSessionOptions {
  /** The `secret` @hono/session was given (or its `AUTH_SECRET`). */
  secret: string;
  /**
   * The cookie name @hono/session used. A value is read only under this name: @hono/session does
   * not bind the name into its seal, so without this a `sid` cookie replayed under another session
   * name of the same store would open there with its data. @default "sid"
   */
  name?: string;
}

const encoder = new TextEncoder();
// @hono/session's ids are base64 of 40 hex characters; their base64url spelling fits our ids.
const BASE64_ID = /^[A-Za-z0-9+/]{22,}={0,2}$/;

async function honoSessionKey(secret: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveBits"]);
  const params = { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode("session jwe cek") };
  const raw = await crypto.subtle.deriveBits(params, base, 256);
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
}

/** The session id for a `sid`: the same id in base64url, or (for another alphabet) 128 bits of its SHA-256. */
async function sessionId(sid: string): Promise<string> {
  if (BASE64_ID.test(sid)) return sid.replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_");
  return encodeBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(sid)), 0, 16));
}

/**
 * A reader of @hono/session 0.2 cookies for `CookieStore`'s `migrateFrom`: a session it sealed opens
 * with its data (`isNew` false) and is written in the store's own format at its next save. Name the
 * session as @hono/session named its cookie (`"sid"`, or give `name`): a value is read only under
 * that name, as our own values open only under the name they were sealed for. Its server-side storage mode keeps the data
 * elsewhere: those cookies open as sessions without data.
 *
 * @example
 * ```ts
 * import { CookieStore } from "web-sessions";
 * import { sessions } from "web-sessions/hono";
 * import { fromHonoSession } from "web-sessions/jwt";
 *
 * const store = new CookieStore({ secrets: process.env.SESSION_SECRET!, migrateFrom: [fromHonoSession({ secret: process.env.AUTH_SECRET! })] });
 * app.use(sessions("sid", store));
 * ```
 */
export function fromHonoSession({ secret, name = "sid" }: HonoSessionOptions): CookieReader {
  assertConfig(typeof secret === "string" && secret.length > 0, "fromHonoSession: secret is required");
  assertConfig(typeof name === "string" && name !== "", "fromHonoSession: name must be the cookie name @hono/session used");
  let key: Promise<CryptoKey> | undefined;
  return {
    isWellFormed: (value: string) => COMPACT_JWT.test(value),
    async read(cookieName: string, value: string): Promise<StoredSession | undefined> {
      if (cookieName !== name || !COMPACT_JWT.test(value)) return undefined;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtDecrypt(value, await (key ??= honoSessionKey(secret)), {
          keyManagementAlgorithms: ["dir"],
          contentEncryptionAlgorithms: ["A256GCM"],
          requiredClaims: ["sid"],
          currentDate: new Date(Date.now()),
        }));
      } catch {
        return undefined; // not one of its cookies, or expired
      }
      const { sid, iat, exp, ...data } = payload;
      if (typeof sid !== "string" || sid === "") return undefined;
      const now = Date.now();
      return {
        id: await sessionId(sid),
        createdAt: typeof iat === "number" ? iat * 1000 : now,
        // Without `exp` its cookie never expired: as good as due, so a rolling refresh rewrites it at once.
        expiresAt: typeof exp === "number" ? exp * 1000 : now,
        data: toDataMap(data),
      };
    },
  };
}
