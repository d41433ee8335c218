/**
 * A two-participant workshop end to end in headless Chromium: the facilitator signs in with the admin
 * token, creates a workshop and opens the console; two participants join by code in their own
 * browser contexts and wait; the facilitator opens the case (their pages follow by themselves),
 * both answer, the console and the projector show 2 answered and the spread; the facilitator
 * reveals, and each participant's page shows their own feedback and the key with its sources.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, startBrowserTest, type BrowserTest } from "../helpers/browser.js";
import { ADMIN, MILL } from "./helpers.js";

describe.skipIf(!chromiumAvailable())("workshop in Chromium", () => {
  let bt: BrowserTest;
  beforeAll(async () => {
    bt = await startBrowserTest({ env: { FCE_ADMIN_TOKEN: ADMIN } });
  });
  afterAll(async () => {
    await bt?.close();
  });

  async function joinAs(page: Page, code: string, name: string) {
    await page.goto(bt.url("/w"));
    await page.fill("#code", code.toLowerCase());
    await page.fill("#displayName", name);
    await page.click(".join-form button[type=submit]");
    await page.waitForSelector("#ws-room");
    await expect(page.locator(".signed-in").textContent()).resolves.toContain(name);
  }

  it("runs a two-participant workshop", async () => {
    // The facilitator: token, new workshop with one authored case, console.
    const fac = await bt.newPage();
    await fac.goto(bt.url("/workshops"));
    await fac.fill("#cred-token", ADMIN);
    await fac.click("#cred-form button[type=submit]");
    await fac.waitForSelector("#cred-status:not([hidden])");
    await fac.fill("#ws-title", "Browser workshop");
    await fac.check(`input[name=cases][value=${MILL}]`);
    await fac.click("#create-submit");
    await fac.waitForURL(/\/workshops\/[A-Z0-9]{6}\?lang=en$/);
    const code = (await fac.locator("#ws-code").textContent())!.trim();
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    expect(await fac.locator(".ws-qr svg").count()).toBe(1);
    await fac.waitForSelector("#ws-cases li[data-position='0'][data-state='pending']");
    await fac.waitForSelector("#live-nocase");
    // The token stays in this tab's sessionStorage, not in the URL or a cookie.
    expect(fac.url()).not.toContain(ADMIN);
    expect(await fac.evaluate(() => window.sessionStorage.getItem("fce-workshop-credential"))).toBe(ADMIN);

    // Two participants join and wait.
    const p1 = await bt.newPage();
    const p2 = await bt.newPage({ lang: "ja" });
    await joinAs(p1, code, "Aiko Tanaka");
    await joinAs(p2, code, "Ben Ito");
    await expect(p1.locator("#ws-status").textContent()).resolves.toContain("Waiting for the facilitator");
    expect(p1.url()).not.toContain("session="); // the cookie works: the token left the URL
    await fac.waitForSelector("#live-participants[data-participants='2']");

    // The facilitator opens the case: both pages follow on their own (server-sent events).
    await fac.click("#ws-cases button[data-open='0']");
    await fac.waitForSelector("#live-answered[data-answered='0']");
    await p1.waitForSelector("form#answer");
    await p2.waitForSelector("form#answer");
    expect(await p1.locator(".dossier").count()).toBe(1);

    // The projector (its own browser, read-only link from the console).
    const projectorHref = await fac.locator("#projector-link").getAttribute("href");
    expect(projectorHref).toMatch(/screen\?view=/);
    const screen = await bt.newPage({ viewport: { width: 1280, height: 800 } });
    await screen.goto(new URL(projectorHref!, fac.url()).toString());
    await screen.waitForSelector("#live-answered[data-answered='0']");

    // Both answer with the practice form.
    await p1.check("input[name=verdict][value=accreditation_mill]");
    for (const flag of ["accreditation_for_sale", "no_site_visit", "permanent_accreditation", "claims_chea_or_usde_recognition"]) await p1.check(`input[name=flags][value=${flag}]`);
    await p1.fill("#f-justification", "Accreditation is sold with no site visit; it falsely claims CHEA recognition.");
    await p1.click("form#answer button[type=submit]");
    await p1.waitForSelector("#ws-status");
    await expect(p1.locator("#ws-status").textContent()).resolves.toContain("Your answer is in");
    await p2.check("input[name=verdict][value=diploma_mill]");
    await p2.check("input[name=flags][value=no_site_visit]");
    await p2.click("form#answer button[type=submit]");
    await p2.waitForSelector("#ws-status");
    await expect(p2.locator("#ws-status").textContent()).resolves.toContain("解答を受け付けました");
    // No feedback or key before the reveal, and nothing of the other participant.
    expect(await p1.locator("#feedback, #key").count()).toBe(0);
    expect(await p2.content()).not.toContain("Aiko");

    // The console and the projector show 2 answered and the spread.
    await fac.waitForSelector("#live-answered[data-answered='2']", { timeout: 5000 });
    await expect(fac.locator("#live-answered").textContent()).resolves.toBe("2 of 2 answered");
    await expect(fac.locator(".ws-field[data-field='verdict'] .ws-option[data-option='accreditation_mill'] .ws-count").textContent()).resolves.toBe("1 (50%)");
    await expect(fac.locator(".ws-field[data-field='flags'] .ws-option[data-option='no_site_visit'] .ws-count").textContent()).resolves.toBe("2 (100%)");
    await screen.waitForSelector("#live-answered[data-answered='2']");
    await fac.waitForSelector("#results-participants td");

    // Reveal: the key on the console; each participant's own feedback and the key.
    await fac.click("#btn-reveal");
    await fac.waitForSelector("#live-key");
    await fac.waitForSelector(".ws-field[data-field='verdict'] .ws-option.correct[data-option='accreditation_mill']");
    await p1.waitForSelector("#feedback", { timeout: 10_000 });
    await p1.waitForSelector("#key");
    const score = (await p1.locator("#feedback .score").textContent())!;
    expect(Number(/Score: ([\d.]+) of 12/.exec(score)?.[1])).toBeGreaterThanOrEqual(9.6);
    await p2.waitForSelector("#feedback", { timeout: 10_000 });
    await expect(p2.locator("#feedback .badge").first().textContent()).resolves.toBe("未合格");
    // The key's citations open the source viewer at the passage.
    const cite = p2.locator("#key .sources a.source-title").first();
    const target = await cite.getAttribute("href");
    expect(target).toMatch(/^\.\.\/sources\//);
    await cite.click();
    await p2.waitForURL(/\/sources\//);
    await screen.waitForSelector("#live-key");

    // The results table on the console.
    await fac.click("#btn-results");
    await fac.waitForFunction(() => document.querySelectorAll("#results-participants tbody tr").length === 2);
    expect(bt.errors).toEqual([]);
    expect(bt.external).toEqual([]);
  });
});
