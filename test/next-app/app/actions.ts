"use server";
// Server Actions: the places, besides Route Handlers and the proxy, where Next.js lets cookies be set.
import { redirect } from "next/navigation";
import { sessionFromCookies } from "web-sessions/next";
import { type AppSession, sessionConfig } from "../session-config.ts";

export async function signIn(form: FormData): Promise<void> {
  const session = await sessionFromCookies<AppSession>(sessionConfig);
  // A new id at sign-in: an id planted before it (session fixation) is worth nothing after it.
  await session.regenerate();
  session.set("user", String(form.get("user")));
  const note = form.get("note");
  if (typeof note === "string" && note) session.set("note", note);
  await session.save();
  redirect("/");
}

export async function signOut(): Promise<void> {
  const session = await sessionFromCookies<AppSession>(sessionConfig);
  await session.destroy();
  redirect("/");
}
