/**
 * Next.js Server Actions and Server Components: `sessionFromCookies` reads a session through
 * `cookies()` from `next/headers` and saves it through the same object, where Next.js lets
 * cookies be set. It only moves cookies between Next.js and the core's jar.
 *
 * @example
 * ```ts
 * "use server";
 * import { redirect } from "next/navigation";
 * import { sessionFromCookies } from "web-sessions/next";
 * import { sessionConfig } from "./session-config";
 *
 * export async function signIn(form: FormData) {
 *   const session = await sessionFromCookies<{ user: string }>(sessionConfig);
 *   await session.regenerate();
 *   session.set("user", String(form.get("user")));
 *   await session.save();
 *   redirect("/");
 * }
 * ```
 *
 * @module
 */

import { cookies } from "next/headers.js";
import { cookieLifetime } from "../src/cookie.ts";
import { SessionError, assertConfig } from "../src/errors.ts";
import { SessionJar, resolveSettings } from "../src/jar.ts";
import type { JarSettings, OutgoingCookie, SessionsConfig } from "../src/jar.ts";
import type { Session } from "../src/session.ts";
import type { SessionData } from "../src/store.ts";
import { pickJar } from "../src/with-sessions.ts";

/** The part of the object `cookies()` resolves to that the adapter uses. */
type NextCookies = Awaited<ReturnType<typeof cookies>>;

// Settings are checked and resolved once per configuration object, not per call.
const resolved = new WeakMap<SessionsConfig, JarSettings>();

// Next.js throws a plain Error with this message (it exports no class or code for it) when
// cookies().set runs where no cookie can be set: a Server Component, or after an action's render began.
const READ_ONLY = /^Cookies can only be modified in a Server Action or Route Handler/;

// Next.js adds "; Expires=<IMF-fixdate>" (always 29 characters) to every cookie with a Max-Age.
const EXPIRES_BYTES = "; Expires=".length + "Sat, 02 Jan 2027 10:21:41 GMT".length;

function settingsFor(config: SessionsConfig): JarSettings {
  let settings = resolved.get(config);
  if (!settings) {
    assertConfig(
      !config.autoSave && !config.rolling,
      "sessionFromCookies: autoSave and rolling act when a request ends, which Server Actions and Server Components do not signal; call save() instead",
    );
    // Lazy: only the session asked for is loaded.
    settings = { ...resolveSettings(config, "sessionFromCookies"), lazy: true };
    resolved.set(config, settings);
  }
  return settings;
}

/** Hands one cookie to Next.js; where Next.js refuses, rejects with `ERR_SESSION_READ_ONLY`. */
function setCookie(store: NextCookies, { name, value, options }: OutgoingCookie): void {
  try {
    store.set({
      name,
      value,
      path: options.path,
      domain: options.domain,
      // Next.js writes Max-Age as given: the core's whole seconds, as in its own lines; none (and
      // no Expires) for a browser-session cookie.
      maxAge: cookieLifetime(options),
      secure: options.secure,
      httpOnly: options.httpOnly,
      sameSite: options.sameSite.toLowerCase() as "lax" | "strict" | "none",
      partitioned: options.partitioned,
    });
  } catch (error) {
    if (!(error instanceof Error && READ_ONLY.test(error.message))) throw error;
    throw new SessionError(
      "ERR_SESSION_READ_ONLY",
      `the "${name}" session cannot be saved here: Next.js lets no cookie be set while a Server Component renders; save it in a Server Action, a Route Handler or Middleware`,
      { cause: error },
    );
  }
}

/**
 * The session `name` (may be left out when one name is configured) of the request being handled,
 * read through `cookies()` from `next/headers`. For Server Actions, Server Components and Route
 * Handlers not wrapped in `withSessions`. Its `save()`, `destroy()` and `regenerate()`-then-`save()`
 * set their cookies through `cookies()`: in a Server Action or Route Handler they reach the
 * browser; in a Server Component, where Next.js sets no cookie, they reject with `SessionError`
 * `ERR_SESSION_READ_ONLY`. `autoSave` and `rolling` throw `ERR_SESSION_CONFIG` here (nothing tells
 * the adapter when the request ends). Each call loads the session anew.
 *
 * @example
 * ```tsx
 * import { sessionFromCookies } from "web-sessions/next";
 * import { sessionConfig } from "./session-config";
 *
 * export default async function Page() {
 *   const session = await sessionFromCookies<{ user: string }>(sessionConfig);
 *   return <p>Hello {session.get("user") ?? "stranger"}</p>;
 * }
 * ```
 */
export async function sessionFromCookies<Data extends object = SessionData>(
  config: SessionsConfig,
  name?: string,
): Promise<Session<Data>> {
  const settings = settingsFor(config);
  const store = await cookies();
  // Only our own names: Next.js hands values decoded, and another cookie's could hold "; session=".
  const header = store
    .getAll()
    .filter((cookie) => settings.nameSet.has(cookie.name))
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join("; ");
  const jar = await SessionJar.open(settings, header, {
    set: (cookie) => setCookie(store, cookie),
    extraLineBytes: EXPIRES_BYTES,
  });
  const [, picked] = pickJar(jar, name);
  return (await jar.load(picked)) as unknown as Session<Data>;
}
