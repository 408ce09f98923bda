// The demo in a real browser (Chromium through playwright-core) over real HTTP: what a user does,
// and what only a browser shows (HttpOnly and SameSite as Chromium stores them, cookie jars per
// context, a cookie kept only until the browser closes). Screenshots of the sign-in and devices
// pages land in test-output/demo/, for a person to look at.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVICE_LISTING, createApp } from "../examples/demo/app.ts";
import { deviceHandle } from "../examples/demo/devices.ts";
import { MemoryStore } from "../src/index.ts";
import { UpstashRedisStore } from "../src/stores/upstash.ts";
import type { Store } from "../src/store.ts";
import { SECRET } from "./support/browser.ts";
import { findChromium } from "./support/chromium.ts";
import { listen } from "./support/http.ts";
import type { Listening } from "./support/http.ts";
import { REPO } from "./support/runtime.ts";
import { startUpstashEndpoint } from "./support/upstash-endpoint.ts";
import type { UpstashEndpoint } from "./support/upstash-endpoint.ts";

const SCREENSHOTS = join(REPO, "test-output", "demo");

const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
/** A phone-sized context that says it is Safari on an iPhone. */
const PHONE: BrowserContextOptions = { userAgent: IPHONE, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

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

async function signIn(page: Page, base: string, username: string, { remember = true } = {}): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', "password");
  if (remember) await page.check('input[name="remember"]');
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type="submit"]')]);
}

async function signOut(page: Page, base: string): Promise<void> {
  await Promise.all([page.waitForURL(`${base}/login`), page.click('form[action="/logout"] button')]);
}

/** Saves a full-page screenshot and prints where, so a person can look at it. */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

function describeDemoInBrowser(label: string, makeStore: () => Store | Promise<Store>) {
  describe(`demo in Chromium: ${label} store`, () => {
    let server: Listening;
    const contexts: BrowserContext[] = [];
    const newPage = async (options: BrowserContextOptions = {}) => {
      const context = await browser.newContext(options);
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
      expect(await page.textContent(".lead strong")).toBe("alice");
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
      expect(await victim.page.textContent(".lead strong")).toBe("alice");

      // The attacker's copy of the old id no longer opens anything.
      await attacker.page.goto(`${base}/`);
      expect(attacker.page.url()).toBe(`${base}/login`);
    }, TEST_TIMEOUT);

    it("without 'remember me', keeps the cookie only until the browser closes, across later saves too", async () => {
      const { base } = server;
      const { context, page } = await newPage();
      await page.goto(`${base}/login`);
      await screenshot(page, `${label}-login`);
      await signIn(page, base, "ada", { remember: false });
      // Playwright reports a cookie without Max-Age or Expires (a browser-session cookie) as expires -1.
      expect((await sessionCookie(context, base))!.expires).toBe(-1);
      await page.reload();
      expect(await page.textContent("#visits")).toBe("2");
      expect((await sessionCookie(context, base))!.expires).toBe(-1);
    }, TEST_TIMEOUT);

    it("shows each signed-in browser on the devices page, and signs one out from the other", async () => {
      const { base } = server;
      const laptop = await newPage({ viewport: { width: 1100, height: 720 } });
      const phone = await newPage(PHONE);
      const other = await newPage();
      await signIn(laptop.page, base, "grace");
      await signIn(phone.page, base, "grace");
      await signIn(other.page, base, "linus");

      await Promise.all([laptop.page.waitForURL(`${base}/devices`), laptop.page.click("nav >> text=Devices")]);
      expect(await laptop.page.textContent("#device-count")).toBe("2");
      const chrome = `Chrome ${browser.version().split(".")[0]} on Linux`;
      expect(await laptop.page.locator("li.device .name").allTextContents()).toEqual([chrome, "Safari 17 on iOS"]);
      // "This browser" marks the laptop's own session, the one its cookie names.
      const laptopId = idOf((await sessionCookie(laptop.context, base))!.value);
      expect(await laptop.page.getAttribute("li.device.current", "data-device")).toBe(await deviceHandle(laptopId));
      expect(await laptop.page.locator(".badge").allTextContents()).toEqual(["This browser"]);
      const meta = await laptop.page.locator("li.device .meta").allTextContents();
      expect(meta[0]).toMatch(/^Signed in \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC · Active now$/);
      expect(meta[1]).toMatch(/^Signed in \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC · Active in the last 5 minutes$/);
      expect(await laptop.page.content()).not.toContain("linus");
      await screenshot(laptop.page, `${label}-devices`);

      // From the phone: it sees the same two, itself first, and signs the laptop out.
      await phone.page.goto(`${base}/devices`);
      expect(await phone.page.locator("li.device .name").allTextContents()).toEqual(["Safari 17 on iOS", chrome]);
      await screenshot(phone.page, `${label}-devices-phone`);
      await Promise.all([phone.page.waitForURL(`${base}/devices`), phone.page.click("li.device:not(.current) button")]);
      expect(await phone.page.textContent("p[role=status]")).toBe(`Signed out ${chrome}.`);
      expect(await phone.page.locator("li.device").count()).toBe(1);
      expect(await phone.page.textContent("#device-count")).toBe("1");
      expect(await phone.page.textContent(".actions")).toBe("No other device is signed in.");

      // The laptop, though it still holds its cookie, is signed out; the other user is not.
      expect(await sessionCookie(laptop.context, base)).toBeDefined();
      await laptop.page.reload();
      expect(laptop.page.url()).toBe(`${base}/login`);
      await other.page.goto(`${base}/`);
      expect(await other.page.textContent(".lead strong")).toBe("linus");
    }, TEST_TIMEOUT);

    it("signs out all other devices", async () => {
      const { base } = server;
      const laptop = await newPage();
      const phone = await newPage(PHONE);
      const tablet = await newPage();
      for (const { page } of [laptop, phone, tablet]) await signIn(page, base, "hedy");

      await laptop.page.goto(`${base}/devices`);
      expect(await laptop.page.locator("li.device").count()).toBe(3);
      await Promise.all([laptop.page.waitForURL(`${base}/devices`), laptop.page.click("text=Sign out all other devices")]);
      expect(await laptop.page.textContent("p[role=status]")).toBe("Signed out 2 other devices.");
      expect(await laptop.page.locator("li.device").count()).toBe(1);

      for (const { page } of [phone, tablet]) {
        await page.goto(`${base}/`);
        expect(page.url()).toBe(`${base}/login`);
      }
      await laptop.page.goto(`${base}/`);
      expect(await laptop.page.textContent(".lead strong")).toBe("hedy");
    }, TEST_TIMEOUT);

    it("turns away a form that a page of another origin on the same site posts, though SameSite=Lax sends the cookie", async () => {
      const { base } = server;
      const laptop = await newPage();
      const phone = await newPage();
      await signIn(laptop.page, base, "mary");
      await signIn(phone.page, base, "mary");
      // Another port of 127.0.0.1 is another origin but the same site (as a sibling subdomain is).
      const forged = `<form method="post" action="${base}/devices/sign-out-others"></form><script>document.forms[0].submit()</script>`;
      const sibling = await listen({ fetch: () => new Response(forged, { headers: { "Content-Type": "text/html" } }) });
      try {
        const [response] = await Promise.all([laptop.page.waitForResponse(`${base}/devices/sign-out-others`), laptop.page.goto(sibling.base)]);
        expect(response.status()).toBe(403);
        const sent = await response.request().allHeaders();
        expect(sent.cookie).toContain("session=");
        expect(sent.origin).toBe(sibling.base);
      } finally {
        await sibling.close();
      }
      await phone.page.goto(`${base}/`);
      expect(await phone.page.textContent(".lead strong")).toBe("mary");
    }, TEST_TIMEOUT);

    it("signs out: the cookie is gone, and a copy of it taken before opens nothing", async () => {
      const { base } = server;
      const { context, page } = await newPage();
      await signIn(page, base, "alice");
      const before = (await sessionCookie(context, base))!;

      await signOut(page, base);
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

describeDemoInBrowser("memory", () => new MemoryStore({ secrets: SECRET, ...DEVICE_LISTING }));

// The same through the Upstash REST protocol, in front of a real Redis; this run's keys are removed after.
let endpoint: UpstashEndpoint | undefined;
const prefix = `browser-${randomBytes(6).toString("hex")}:`;
afterAll(async () => {
  if (!endpoint) return;
  const keys = await endpoint.redis.keys(`${prefix}*`);
  if (keys.length > 0) await endpoint.redis.del(...keys);
  await endpoint.close();
});
describeDemoInBrowser("upstash", async () => {
  endpoint = await startUpstashEndpoint();
  return new UpstashRedisStore({ url: endpoint.url, token: endpoint.token, secrets: SECRET, prefix, ...DEVICE_LISTING });
});
