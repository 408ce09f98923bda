"use server";
// Sign-in and sign-out of the server-stored account session.
import { redirect } from "next/navigation";
import { sessionFromCookies } from "web-sessions/next";
import { type AccountSession, accountConfig } from "../session-config.ts";

export async function signInAccount(form: FormData): Promise<void> {
  const session = await sessionFromCookies<AccountSession>(accountConfig);
  await session.regenerate();
  session.set("user", String(form.get("user")));
  await session.save();
  redirect("/account");
}

export async function signOutAccount(): Promise<void> {
  const session = await sessionFromCookies<AccountSession>(accountConfig);
  await session.destroy();
  redirect("/account");
}
