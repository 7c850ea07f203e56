import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNetwork, type TestNetwork } from "./harness.js";

/**
 * The dashboard (`web/`) in a real browser, Debian's Chromium (installed by `npm test`'s bootstrap),
 * against the local network: the page is served by the dashboard server on its own origin and talks
 * to the API and the WebSocket API across origins, as it does behind CloudFront.
 */
const CHROMIUM = "/usr/bin/chromium";
let t: TestNetwork;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`The dashboard test needs Chromium at ${CHROMIUM}: run 'npm test' as root (it installs it) or 'sudo apt-get install chromium'.`);
  t = await startTestNetwork({ miners: 1 });
  // As root (CI, containers) Chromium refuses to start with its sandbox; containers often have a tiny /dev/shm.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  page = await browser.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => message.type() === "error" && pageErrors.push(`${message.text()} (${message.location().url})`));
  await page.goto(t.network.urls.dashboard);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const text = (selector: string) => page.locator(selector).innerText();

describe("the dashboard in Chromium", () => {
  it("connects with the local demo key and shows the live network: models, miners and the account", async () => {
    await expect.poll(() => text("#ws-status"), { timeout: 20_000 }).toBe("WebSocket: connected");
    await expect.poll(() => text("#models"), { timeout: 20_000 }).toContain("stories260K");
    const models = await text("#models");
    expect(models).toMatch(/stories260K\s+llm\s+1\s+\d+ \/ token/);
    expect(models).toContain("embeddings");
    const miners = await text("#miners");
    expect(miners).toContain(t.network.hedera.accounts.miners[0]!.accountId);
    await expect.poll(() => text("#account-summary"), { timeout: 20_000 }).toMatch(new RegExp(`Account ${t.network.demo.ownerId.replace(/\./g, "\\.")}: balance \\d+ tinybars`));
  });

  it("streams a chat over the WebSocket, token by token, then shows its charge in the usage table", async () => {
    await page.locator("#chat-model").selectOption("stories260K");
    await page.locator("#chat-form button").click();
    await expect.poll(() => text("#chat-meta"), { timeout: 30_000 }).toContain("served by");
    expect(await text("#chat-meta")).toMatch(/first token after \d+ ms · \d+ tokens in \d+ ms, served by 0\.0\.\d+/);
    expect((await text("#chat-output")).length).toBeGreaterThan(0);
    await expect.poll(() => text("#usage"), { timeout: 20_000 }).toMatch(/chat\.completions\s+stories260K\s+\d+ tokens?\s+\d+\s+0\.0\.\d+/);
  });

  it("runs a canary job through the queue and shows its pushed result with a matching checksum", async () => {
    await page.locator("#canary-form button").click();
    await expect.poll(() => text("#jobs"), { timeout: 30_000 }).toContain("✓ sha256 matches");
    expect(await text("#jobs")).toMatch(/job_\S+\s+succeeded\s+\d+ ms/);
  });

  it("logged no errors in the page", () => {
    expect(pageErrors.join("\n")).toBe("");
  });
});
