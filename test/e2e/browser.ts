// Launches the system Chromium (Debian's /usr/bin/chromium) through playwright-core; never downloads one.
import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Why browser tests cannot run here, or null when Chromium is available. */
export const browserUnavailableReason: string | null = existsSync(chromiumPath)
  ? null
  : `Chromium not found at ${chromiumPath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`;

if (browserUnavailableReason) {
  // In CI a missing browser is a broken setup, not a reason to silently pass.
  if (process.env.CI === "true") throw new Error(browserUnavailableReason);
  console.warn(`[e2e] Skipping browser tests. ${browserUnavailableReason}`);
}

/** Whether browser tests should be skipped (for `describe.skipIf`). */
export const isBrowserUnavailable = browserUnavailableReason !== null;

const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Starts headless Chromium. Playwright gives every launch its own fresh temporary
 * user-data-dir (deleted on close), so no profile state leaks between test files.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** A new isolated context (own cookies and localStorage) with sensible test defaults. */
export async function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: "light",
    locale: "en-US",
    timezoneId: "UTC",
    ...options,
  });
}
