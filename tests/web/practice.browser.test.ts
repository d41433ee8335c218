/**
 * The practice pages in headless Chromium against the real app (bundled corpus and scenarios):
 * start, decide a case, see the graded feedback, open a cited passage, see the progress chart;
 * in Japanese; and inside an LMS iframe.
 */
import type { Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBrowserTest, type BrowserTest } from "../helpers/browser.js";

const CASE = "mill-accreditor-for-sale";

describe("practice pages in Chromium", () => {
  let bt: BrowserTest;
  beforeAll(async () => {
    bt = await startBrowserTest({ lms: true });
  });
  afterAll(async () => {
    await bt?.close();
  });

  async function answerMillCase(p: Page | Frame) {
    await p.check("input[name=verdict][value=accreditation_mill]");
    for (const flag of ["accreditation_for_sale", "no_site_visit", "permanent_accreditation", "claims_chea_or_usde_recognition"]) await p.check(`input[name=flags][value=${flag}]`);
    await p.fill("#f-justification", "Accreditation is sold as a package with no site visit; it falsely claims CHEA recognition and shares an address with its schools.");
    await p.click(".answer-form button[type=submit]");
    await p.waitForSelector("#feedback");
  }

  it("completes a case, sees cited feedback, opens the cited passage, and sees progress", async () => {
    const page = await bt.newPage({ lang: "en" });
    await page.goto(bt.url("/practice"));
    await page.fill("#displayName", "Aiko Tanaka");
    await page.click(".start-form button[type=submit]");
    await page.waitForSelector(".signed-in");
    expect(page.url()).not.toContain("session="); // the cookie works: the token left the URL
    expect(await page.locator(".mastery-list [role=meter]").count()).toBe(5);

    await page.click(`a[href^="./practice/${CASE}?"]`);
    await page.waitForSelector(".dossier");
    await expect(page.locator(".institution-name").textContent()).resolves.toContain("Velmont Council");
    await answerMillCase(page);
    expect(page.url()).toMatch(/\?attempt=att_[0-9a-f]+&lang=en#feedback$/);
    const score = (await page.locator("#feedback .score").textContent())!;
    const m = /Score: ([\d.]+) of 12/.exec(score);
    expect(m).toBeTruthy();
    expect(Number(m![1])).toBeGreaterThanOrEqual(9.6);
    await expect(page.locator("#feedback .badge").first().textContent()).resolves.toBe("Passed");
    expect(await page.locator("#feedback ol.items > li").count()).toBeGreaterThanOrEqual(3);
    // The chosen answer is shown again.
    expect(await page.isChecked("input[name=verdict][value=accreditation_mill]")).toBe(true);

    // Feedback citations open the passage, highlighted.
    const cite = page.locator("#feedback .item-feedback sup > a.cite").first();
    const chunkId = decodeURIComponent((await cite.getAttribute("href"))!.split("#")[1]!);
    await cite.click();
    await page.waitForURL(/\/sources\//);
    await page.locator(`mark[id="${chunkId}"]`).waitFor({ state: "visible" });

    // Progress: the attempt in the history, the mastery chart with a bar per skill.
    await page.goto(bt.url("/progress"));
    await expect(page.locator("table.history tbody tr").first().textContent()).resolves.toContain("An accreditor that never visits");
    expect(await page.locator("svg.chart .chart-row").count()).toBe(5);
    const millsBar = await page.locator('svg.chart .chart-row[data-skill="mills"] rect.chart-bar').getAttribute("width");
    const levelsBar = await page.locator('svg.chart .chart-row[data-skill="levels"] rect.chart-bar').getAttribute("width");
    expect(Number(millsBar)).toBeGreaterThan(Number(levelsBar));

    expect(bt.errors).toEqual([]);
    expect(bt.external).toEqual([]);
  });

  it("shows a message for an incomplete answer and keeps what was chosen", async () => {
    const page = await bt.newPage({ lang: "en" });
    await page.goto(bt.url(`/practice/${CASE}`));
    await page.fill("#displayName", "Ben");
    await page.check("input[name=flags][value=no_site_visit]");
    // The verdict radios are `required`: submit without the browser's own check to see the server's message.
    await page.$eval("form.answer-form", (f) => ((f as HTMLFormElement).noValidate = true));
    await page.click(".answer-form button[type=submit]");
    await page.waitForSelector("#answer-error");
    await expect(page.locator("#answer-error").textContent()).resolves.toContain("Verdict");
    expect(await page.isChecked("input[name=flags][value=no_site_visit]")).toBe(true);
    expect(bt.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    bt.errors.length = 0;
  });

  it("works in Japanese", async () => {
    const page = await bt.newPage({ lang: "ja" });
    await page.goto(bt.url("/practice/level-tarsis-four-year-bachelor"));
    await expect(page.getAttribute("html", "lang")).resolves.toBe("ja");
    await expect(page.locator(".answer-form h2").textContent()).resolves.toBe("解答");
    await page.fill("#displayName", "山田");
    await page.check("input[name=level][value='6']");
    await page.check("input[name=admission][value=master]");
    await page.click(".answer-form button[type=submit]");
    await page.waitForSelector("#feedback");
    await expect(page.locator("#feedback .score").textContent()).resolves.toMatch(/得点：/);
    expect(bt.errors).toEqual([]);
  });

  it("works inside an LMS iframe (another site frames the tool)", async () => {
    const page = await bt.newPage({ lang: "en", viewport: { width: 900, height: 900 } });
    const lmsPage = bt.lms!.frame(`/practice/${CASE}?lang=en`);
    await page.goto(lmsPage);
    const frame = (await (await page.waitForSelector("#tool")).contentFrame())!;
    await frame.waitForSelector(".dossier");
    await frame.fill("#displayName", "Framed Learner");
    await answerMillCase(frame);
    await expect(frame.locator("#feedback .score").textContent()).resolves.toMatch(/Score: [\d.]+ of 12/);
    // Whether or not the framed cookie is kept, the next page still knows the learner.
    await frame.click('a[href*="progress"]');
    await frame.waitForSelector("table.history");
    await expect(frame.locator(".lead").textContent()).resolves.toContain("Framed Learner");
    expect(page.url()).toBe(lmsPage);
    expect(bt.errors).toEqual([]);
  });
});
