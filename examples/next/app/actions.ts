"use server";
import { redirect } from "next/navigation";
import { sessionFromCookies } from "web-sessions/next";
import { type AppSession, sessionConfig } from "../session.ts";

export async function signIn(form: FormData): Promise<void> {
  const session = await sessionFromCookies<AppSession>(sessionConfig);
  await session.regenerate(); // a new id at sign-in: no session fixation
  session.set("user", String(form.get("user") || "guest"));
  await session.save();
  redirect("/account");
}

export async function signOut(): Promise<void> {
  const session = await sessionFromCookies<AppSession>(sessionConfig);
  await session.destroy();
  redirect("/");
}
