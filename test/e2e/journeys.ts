// Steps the browser tests share: a test file's server and browser (started before its tests, stopped
// after them, each test's pages closed after it), JSON calls to the API, signing in through the API or
// the sign-in form, and reading pages (text, board rows, screenshots).
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { createForumSim, type ForumSim } from "../../src/modules/forum/sim/forum-sim.server.ts";
import { launchBrowser, newContext } from "./browser.ts";
import { startTestServer, type TestServer } from "./server.ts";

export const screenshotDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../.cache/screenshots",
);

/** The file a screenshot called `name` is saved to. */
export const screenshotPath = (name: string) => path.join(screenshotDir, `${name}.png`);

/** Saves a screenshot of the page, the whole page unless `fullPage` is false. */
export const screenshot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: screenshotPath(name), fullPage });

/** Polls until the page catches up: loads and live updates take longer than vitest's default second on a busy machine. */
export const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) =>
  expect.poll(fn, { timeout, interval: 100 });

/** A locator's text with its white space folded. */
export const text = async (locator: Locator) =>
  ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();

/** The folded text of the element with this test id. */
export const textOf = (page: Page, testId: string) => text(page.getByTestId(testId));

/** The error message shown for a form field: the text of its description when that is a field error. */
export const fieldError = (input: Locator) =>
  input.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .map((id) => document.getElementById(id))
      .filter((d) => d?.classList.contains("field-error"))
      .map((d) => d!.textContent?.trim())
      .join(" "),
  );

/** A 390 px wide phone. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
};

/** How far the page sticks out sideways, in px (0 or less: it fits). */
export const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Marks the window; the returned check tells whether it is still the same document (a full load drops the mark). */
export async function markWindow(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    (window as unknown as { e2eMark?: boolean }).e2eMark = true;
  });
  return () => page.evaluate(() => (window as unknown as { e2eMark?: boolean }).e2eMark === true);
}

export interface BoardRow {
  rank: number;
  username: string;
  points: string;
}

/** The leaderboard rows the page shows. */
export function boardRows(page: Page): Promise<BoardRow[]> {
  return page.getByTestId("board-row").evaluateAll((rows) =>
    rows.map((row) => ({
      rank: Number((row as HTMLElement).dataset.rank),
      username: (row as HTMLElement).dataset.username ?? "",
      points: (row as HTMLElement).dataset.points ?? "",
    })),
  );
}

/** Fills and sends the sign-in form of the current page. */
export async function submitSignIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel("E-mail or username").fill(login);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** What a sign-in answers, and what the web app keeps in localStorage. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; username: string; displayName?: string | null; roles: string[] };
}

/** The demo's administrator. */
export const DEMO_ADMIN = { login: "admin", password: "admin" };

/** A JSON request with a token already chosen. */
export type ApiCall = <T = unknown>(method: string, url: string, body?: unknown) => Promise<T>;

/** Sends `body` as JSON (and `token` as a bearer) to `base + url`; answers the parsed body, throws on a non-2xx. */
export async function requestJson<T = unknown>(
  base: string,
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} -> ${response.status} ${raw}`);
  return (raw ? JSON.parse(raw) : undefined) as T;
}

type ServerEnv = Record<string, string | undefined>;

export interface SuiteOptions {
  /** Server settings, or a function run first that returns them (after starting what they point at). */
  env?: ServerEnv | (() => Promise<ServerEnv>);
  /** Runs once the server has stopped (to stop what `env` started). */
  afterStop?: () => Promise<void>;
}

export interface BrowserSuite {
  /** The server's base URL, without a trailing slash. */
  readonly url: string;
  readonly browser: Browser;
  /** A JSON request to the server (see requestJson). */
  api<T = unknown>(method: string, url: string, body?: unknown, token?: string): Promise<T>;
  /** Signs in through the API. */
  login(credentials: { login: string; password: string }): Promise<Session>;
  /** JSON requests to the server with the session's access token. */
  as(session: Session): ApiCall;
  /** A page in a context of its own (cookies, storage), closed after the test. */
  openPage(options?: BrowserContextOptions): Promise<Page>;
  /** The same, signed in: the web app's session store reads the tokens from localStorage at start. */
  openSignedIn(session: Session, options?: BrowserContextOptions): Promise<Page>;
}

/**
 * Registers the hooks of a browser test file (call it in the `describe`): the server and Chromium start
 * before its tests and stop after them, and the contexts a test opened close after it.
 */
export function useBrowserSuite(options: SuiteOptions = {}): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  const started = () => {
    if (!server || !browser) throw new Error("The browser suite runs only inside its tests and hooks");
    return { server, browser };
  };

  beforeAll(async () => {
    const env = typeof options.env === "function" ? await options.env() : options.env;
    [server, browser] = await Promise.all([startTestServer(env), launchBrowser()]);
    await mkdir(screenshotDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await options.afterStop?.();
  });
  afterEach(async () => {
    const open = contexts;
    contexts = [];
    for (const context of open) await context.close();
  });

  const api = <T>(method: string, url: string, body?: unknown, token?: string) =>
    requestJson<T>(started().server.url, method, url, body, token);
  async function openPage(contextOptions: BrowserContextOptions = {}, session?: Session): Promise<Page> {
    const context = await newContext(started().browser, contextOptions);
    contexts.push(context);
    if (session) {
      const { accessToken, refreshToken, user } = session;
      const stored = JSON.stringify({ accessToken, refreshToken, user });
      await context.addInitScript((value) => localStorage.setItem("merit.session", value), stored);
    }
    return context.newPage();
  }

  return {
    get url() {
      return started().server.url;
    },
    get browser() {
      return started().browser;
    },
    api,
    login: (credentials) => api<Session>("POST", "/api/auth/login", credentials),
    as: (session) => (method, url, body) => api(method, url, body, session.accessToken),
    openPage: (contextOptions) => openPage(contextOptions),
    openSignedIn: (session, contextOptions) => openPage(contextOptions, session),
  };
}

export interface ForumSuite extends BrowserSuite {
  readonly sim: ForumSim;
  /** The simulator's base URL (its control API is under /_sim/). */
  readonly simUrl: string;
}

/**
 * useBrowserSuite with a forum simulator of the file's own that the server scrapes as Bitcointalk;
 * `prepare` fills the simulator before the server starts (and its jobs scrape).
 */
export function useForumSuite(prepare: (sim: ForumSim) => void = () => {}): ForumSuite {
  const sim = createForumSim();
  let simUrl: string | undefined;
  const suite = useBrowserSuite({
    env: async () => {
      simUrl = (await sim.listen(0, "127.0.0.1")).url.replace(/\/$/, "");
      prepare(sim);
      return { BITCOINTALK_URL: simUrl };
    },
    afterStop: () => sim.close(),
  });
  return Object.defineProperties(suite, {
    sim: { value: sim },
    simUrl: {
      get() {
        if (!simUrl) throw new Error("The forum simulator runs only inside the tests and hooks");
        return simUrl;
      },
    },
  }) as ForumSuite;
}
