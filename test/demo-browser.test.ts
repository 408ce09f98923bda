// The demo in a real browser (Chromium through playwright-core) over real HTTP: what a user does,
// and what only a browser shows (HttpOnly and SameSite as Chromium stores them, cookie jars per context).
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../examples/demo/app.ts";
import { MemoryStore } from "../src/index.ts";
import { UpstashRedisStore } from "../src/stores/upstash.ts";
import type { Store } from "../src/store.ts";
import { SECRET } from "./support/browser.ts";
import { findChromium } from "./support/chromium.ts";
import { listen } from "./support/http.ts";
import type { Listening } from "./support/http.ts";
import { startUpstashEndpoint } from "./support/upstash-endpoint.ts";
import type { UpstashEndpoint } from "./support/upstash-endpoint.ts";

const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"];

// Each test drives a few pages; on a loaded machine that takes seconds, not the default five.
const TEST_TIMEOUT = 30_000;

let browser: Browser;

beforeAll(async () => {
  const { executablePath } = await findChromium();
  browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The session id inside a server store's cookie (`kid.exp.id.mac`, signed by the codec). */
function idOf(value: string): string {
  const id = value.split(".")[2];
  expect(id, `a signed id in ${value}`).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  return id!;
}

async function sessionCookie(context: BrowserContext, base: string) {
  return (await context.cookies(base)).find((cookie) => cookie.name === "session");
}

async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', "password");
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type="submit"]')]);
}

function describeDemoInBrowser(label: string, makeStore: () => Store | Promise<Store>) {
  describe(`demo in Chromium: ${label}`, () => {
    let server: Listening;
    const contexts: BrowserContext[] = [];
    const newPage = async () => {
      const context = await browser.newContext();
      contexts.push(context);
      return { context, page: await context.newPage() };
    };

    beforeAll(async () => {
      // Plain http on loopback: Secure cookies would not be sent back.
      server = await listen(createApp(await makeStore(), { secureCookies: false }));
    });
    afterAll(async () => {
      await Promise.all(contexts.map((context) => context.close()));
      await server?.close();
    }, TEST_TIMEOUT);

    it("signs in with a new id, shows the flash once, counts visits, and keeps the cookie HttpOnly and SameSite=Lax", async () => {
      const { base } = server;
      const { context, page } = await newPage();

      await page.goto(`${base}/`);
      expect(page.url()).toBe(`${base}/login`);
      expect(await sessionCookie(context, base)).toBeUndefined();

      await signIn(page, base, "alice");
      expect(await page.textContent("p[role=status]")).toBe("Welcome, alice!");
      expect(await page.textContent("#visits")).toBe("1");
      const first = await sessionCookie(context, base);
      expect(first).toMatchObject({ name: "session", httpOnly: true, sameSite: "Lax", secure: false, path: "/", domain: "127.0.0.1" });
      // Max-Age of 30 days, as Chromium recorded it.
      expect(first!.expires * 1000 - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
      // HttpOnly as the page sees it: scripts cannot read the session cookie.
      expect(await page.evaluate(() => document.cookie)).not.toContain("session=");

      // Signing in again over the live session regenerates its id; the data moves along with it.
      await signIn(page, base, "alice");
      const second = await sessionCookie(context, base);
      expect(idOf(second!.value)).not.toBe(idOf(first!.value));
      expect(await page.textContent("p[role=status]")).toBe("Welcome, alice!");
      expect(await page.textContent("#visits")).toBe("2");

      for (const visits of ["3", "4"]) {
        await page.reload();
        expect(await page.textContent("#visits")).toBe(visits);
        expect(await page.locator("p[role=status]").count()).toBe(0);
      }
      // Across navigations too, not only reloads.
      await page.goto(`${base}/login`);
      await page.goto(`${base}/`);
      expect(await page.textContent("#visits")).toBe("5");
      expect(await page.textContent("strong")).toBe("alice");
      expect(idOf((await sessionCookie(context, base))!.value)).toBe(idOf(second!.value));
    }, TEST_TIMEOUT);

    it("shows a second browser context nothing of the first's session", async () => {
      const { base } = server;
      const alice = await newPage();
      await signIn(alice.page, base, "alice");

      const stranger = await newPage();
      await stranger.page.goto(`${base}/`);
      expect(stranger.page.url()).toBe(`${base}/login`);
      expect(await sessionCookie(stranger.context, base)).toBeUndefined();
      expect(await stranger.page.content()).not.toContain("alice");
    }, TEST_TIMEOUT);

    it("makes a planted cookie worthless at sign-in (session fixation)", async () => {
      const { base } = server;
      const attacker = await newPage();
      await signIn(attacker.page, base, "mallory");
      const planted = (await sessionCookie(attacker.context, base))!;

      const victim = await newPage();
      await victim.context.addCookies([{ name: "session", value: planted.value, url: base }]);
      await signIn(victim.page, base, "alice");
      const own = (await sessionCookie(victim.context, base))!;
      expect(idOf(own.value)).not.toBe(idOf(planted.value));
      expect(await victim.page.textContent("strong")).toBe("alice");

      // The attacker's copy of the old id no longer opens anything.
      await attacker.page.goto(`${base}/`);
      expect(attacker.page.url()).toBe(`${base}/login`);
    }, TEST_TIMEOUT);

    it("lists the user's sessions in each browser and signs out everywhere else", async () => {
      const { base } = server;
      const laptop = await newPage();
      const phone = await newPage();
      const other = await newPage();
      await signIn(laptop.page, base, "grace");
      await signIn(phone.page, base, "grace");
      await signIn(other.page, base, "linus");

      await laptop.page.click("text=Your sessions");
      expect(laptop.page.url()).toBe(`${base}/sessions`);
      expect(await laptop.page.textContent("#session-count")).toBe("2");
      const rows = laptop.page.locator("tbody tr");
      expect(await rows.count()).toBe(2);
      // "This browser" marks the laptop's own session, whose id is the one in its cookie.
      const laptopId = idOf((await sessionCookie(laptop.context, base))!.value);
      expect(await laptop.page.getAttribute("tr:has(.current)", "data-session")).toBe(laptopId.slice(0, 8));
      expect(await laptop.page.locator(".current").count()).toBe(1);
      expect(await laptop.page.content()).not.toContain("linus");

      await Promise.all([laptop.page.waitForURL(`${base}/sessions`), laptop.page.click("text=Sign out everywhere else")]);
      expect(await laptop.page.textContent("p[role=status]")).toBe("Signed out 1 other session.");
      expect(await rows.count()).toBe(1);
      expect(await laptop.page.textContent("#session-count")).toBe("1");

      // The phone is signed out, though it still holds its cookie; the laptop and the other user are not.
      expect(await sessionCookie(phone.context, base)).toBeDefined();
      await phone.page.goto(`${base}/`);
      expect(phone.page.url()).toBe(`${base}/login`);
      await laptop.page.goto(`${base}/`);
      expect(await laptop.page.textContent("strong")).toBe("grace");
      await other.page.goto(`${base}/`);
      expect(await other.page.textContent("strong")).toBe("linus");
    }, TEST_TIMEOUT);

    it("signs out: the cookie is gone, and a copy of it taken before opens nothing", async () => {
      const { base } = server;
      const { context, page } = await newPage();
      await signIn(page, base, "alice");
      const before = (await sessionCookie(context, base))!;

      await Promise.all([page.waitForURL(`${base}/login`), page.click("text=Sign out")]);
      expect(await sessionCookie(context, base)).toBeUndefined();
      await page.goto(`${base}/`);
      expect(page.url()).toBe(`${base}/login`);

      const thief = await newPage();
      await thief.context.addCookies([{ name: "session", value: before.value, url: base }]);
      await thief.page.goto(`${base}/`);
      expect(thief.page.url()).toBe(`${base}/login`);
    }, TEST_TIMEOUT);
  });
}

describeDemoInBrowser("MemoryStore", () => new MemoryStore({ secrets: SECRET, owner: "user" }));

// The same through the Upstash REST protocol, in front of a real Redis; this run's keys are removed after.
let endpoint: UpstashEndpoint | undefined;
const prefix = `browser-${randomBytes(6).toString("hex")}:`;
afterAll(async () => {
  if (!endpoint) return;
  const keys = await endpoint.redis.keys(`${prefix}*`);
  if (keys.length > 0) await endpoint.redis.del(...keys);
  await endpoint.close();
});
describeDemoInBrowser("UpstashRedisStore", async () => {
  endpoint = await startUpstashEndpoint();
  return new UpstashRedisStore({ url: endpoint.url, token: endpoint.token, secrets: SECRET, prefix, owner: "user" });
});
