/**
 * The devices page's routes: list the user's sessions, sign one out, sign out all the others.
 * Every route works on the signed-in user's own sessions only, found through the store's owner
 * index: a session id sent in a form is never trusted on its own.
 *
 * @module
 */

import type { Context, Hono } from "hono";
import type { MemoryStore, SessionInfo } from "../../src/index.ts";
import { getSession } from "../../adapters/hono.ts";
import { SESSION_NAME } from "./demo-data.ts";
import type { DemoData } from "./demo-data.ts";
import { describeDevice } from "./device.ts";
import { devicesPage } from "./devices-view.ts";
import type { DeviceRow } from "./devices-view.ts";

/** A server store built with `owner` keeps an index of each user's sessions. */
export type OwnerIndex = Pick<MemoryStore, "list" | "destroyAll" | "destroy">;

/**
 * Names a session in the page's sign-out forms. A digest, not the id: the page (its HTML, a
 * screenshot, a proxy's log of the form) never carries the ids the cookies sign.
 */
export async function deviceHandle(id: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id)));
  return btoa(String.fromCharCode(...digest.subarray(0, 12))).replaceAll("+", "-").replaceAll("/", "_");
}

async function toRow(info: SessionInfo, currentId: string): Promise<DeviceRow> {
  const signedInAt = info.data?.signedInAt;
  return {
    handle: await deviceHandle(info.id),
    device: describeDevice(info.data?.userAgent),
    signedInAt: typeof signedInAt === "number" ? signedInAt : info.createdAt,
    lastSeenAt: info.lastSeenAt,
    current: info.id === currentId,
  };
}

/** The signed-in user and their session, or undefined when nobody is signed in. */
function signedIn(c: Context) {
  const session = getSession<DemoData>(c);
  const user = session.get("user");
  return user === undefined ? undefined : { session, user };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export function deviceRoutes(app: Hono, store: OwnerIndex): void {
  app.get("/devices", async (c) => {
    const current = signedIn(c);
    if (!current) return c.redirect("/login", 302);
    const { session, user } = current;
    const flashes = session.flashes<string>();
    await session.save();
    const rows = await Promise.all((await store.list(user)).map((info) => toRow(info, session.id)));
    // This browser first, then the most recently active.
    rows.sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt);
    return c.html(devicesPage({ user, rows, flashes, now: Date.now() }));
  });

  app.post("/devices/sign-out", async (c) => {
    const current = signedIn(c);
    if (!current) return c.redirect("/login", 302);
    const { session, user } = current;
    const { device } = await c.req.parseBody();
    // Only among this user's own sessions: a handle of someone else's matches nothing here.
    let target: SessionInfo | undefined;
    for (const info of await store.list(user)) {
      if (info.id !== session.id && (await deviceHandle(info.id)) === device) target = info;
    }
    if (target) {
      await store.destroy(SESSION_NAME, target.id);
      session.addFlash(`Signed out ${describeDevice(target.data?.userAgent).name}.`);
    } else {
      session.addFlash("That device is already signed out.");
    }
    await session.save();
    return c.redirect("/devices", 302);
  });

  app.post("/devices/sign-out-others", async (c) => {
    const current = signedIn(c);
    if (!current) return c.redirect("/login", 302);
    const { session, user } = current;
    const count = await store.destroyAll(user, { except: session.id });
    session.addFlash(`Signed out ${plural(count, "other device")}.`);
    await session.save();
    return c.redirect("/devices", 302);
  });
}
