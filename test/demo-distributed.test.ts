// The distributed demo over real HTTP: two processes share sessions through Redis over the
// Upstash REST protocol. Sign in on one, signed in on the other; sign out there, out on both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDistributedDemo } from "../examples/demo/distributed.ts";
import type { DistributedDemo } from "../examples/demo/distributed.ts";

let demo: DistributedDemo;
beforeAll(async () => {
  demo = await startDistributedDemo([0, 0]);
}, 30_000);
afterAll(() => demo?.stop());

function sessionCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith("session="))?.split(";")[0];
}

describe("distributed demo", () => {
  it("signs in on one instance, is signed in on the other, signs out there and is out on both", async () => {
    const [a, b] = demo.urls;
    const login = await fetch(`${a}/login`, {
      method: "POST",
      body: new URLSearchParams({ username: "alice", password: "password" }),
      headers: { Origin: a },
      redirect: "manual",
    });
    expect(login.status).toBe(302);
    expect(login.headers.get("X-Instance")).toBe("A");
    const cookie = sessionCookie(login)!;
    expect(cookie).toBeDefined();

    const onB = await fetch(`${b}/`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onB.status).toBe(200);
    expect(onB.headers.get("X-Instance")).toBe("B");
    const page = await onB.text();
    expect(page).toContain("Signed in as <strong>alice</strong>");
    expect(page).toContain("Welcome, alice!"); // the flash set on A, shown once on B
    expect(page).toMatch(/id="visits">1</);

    const again = await (await fetch(`${a}/`, { headers: { Cookie: cookie }, redirect: "manual" })).text();
    expect(again).toMatch(/id="visits">2</);
    expect(again).not.toContain("Welcome, alice!");

    const logout = await fetch(`${b}/logout`, { method: "POST", headers: { Cookie: cookie, Origin: b }, redirect: "manual" });
    expect(logout.status).toBe(302);
    expect(sessionCookie(logout)).toBe("session=");

    // The old cookie, replayed on the first instance, no longer opens a session.
    const afterLogout = await fetch(`${a}/`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(afterLogout.status).toBe(302);
    expect(afterLogout.headers.get("Location")).toBe("/login");
  });

  it("lists a user's devices from both instances and signs out all others from either", async () => {
    const [a, b] = demo.urls;
    // The demo's Redis keys outlive the run: a user of this run's own keeps earlier runs out of the list.
    const username = `ada-${crypto.randomUUID()}`;
    const signIn = async (base: string) => {
      const response = await fetch(`${base}/login`, {
        method: "POST",
        body: new URLSearchParams({ username, password: "password" }),
        headers: { Origin: base },
        redirect: "manual",
      });
      return sessionCookie(response)!;
    };
    const onA = await signIn(a);
    const onB = await signIn(b);

    const list = await (await fetch(`${a}/devices`, { headers: { Cookie: onA }, redirect: "manual" })).text();
    expect(list.match(/<li class="device/g)).toHaveLength(2);

    const signOut = await fetch(`${b}/devices/sign-out-others`, { method: "POST", headers: { Cookie: onB, Origin: b }, redirect: "manual" });
    expect(signOut.status).toBe(302);
    expect((await fetch(`${a}/`, { headers: { Cookie: onA }, redirect: "manual" })).headers.get("Location")).toBe("/login");
    expect((await fetch(`${a}/`, { headers: { Cookie: onB }, redirect: "manual" })).status).toBe(200);
  });
});
