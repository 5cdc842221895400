// Accounts in a real browser against the real server: register -> confirm from the e-mail -> sign in ->
// turn on 2FA -> sign out -> sign in with a code; form errors, sign-in guards and the admin pages.
import { Secret, TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { isBrowserUnavailable, newContext } from "./browser.ts";
import {
  fieldError,
  PHONE,
  screenshot,
  screenshotPath,
  submitSignIn,
  textOf,
  useBrowserSuite,
} from "./journeys.ts";

const ADMIN = { email: "e2e-admin@merit.test", password: "Admin-e2e-Passw0rd!" };
const PASSWORD = "Correct-Horse-42!";

interface OutboxMail {
  to: string;
  subject: string;
  text: string;
}

describe.skipIf(isBrowserUnavailable)("accounts in the browser", () => {
  const suite = useBrowserSuite({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
  let adminToken: string;

  beforeAll(async () => {
    adminToken = (await suite.login({ login: ADMIN.email, password: ADMIN.password })).accessToken;
  });

  /** The newest mail to `to` whose text contains `marker` (mails are sent by a job, so poll). */
  async function waitForMail(to: string, marker: string): Promise<OutboxMail> {
    let found: OutboxMail | undefined;
    await expect
      .poll(
        async () => {
          const page = await suite.api<{ items: OutboxMail[] }>(
            "GET",
            "/api/admin/outbox?limit=50",
            undefined,
            adminToken,
          );
          found = page.items.find((m) => m.to.includes(to) && m.text.includes(marker));
          return found !== undefined;
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe(true);
    return found!;
  }

  /** Registers and confirms an account through the API (reading the link from the outbox). */
  async function createConfirmedUser(
    username: string,
  ): Promise<{ email: string; username: string; password: string }> {
    const user = { email: `${username}@example.org`, username, password: PASSWORD };
    await suite.api("POST", "/api/auth/register", user);
    const mail = await waitForMail(user.email, "/confirm-email?token=");
    const token = decodeURIComponent(/\/confirm-email\?token=([^\s"'<>&]+)/.exec(mail.text)![1]);
    await suite.api("POST", "/api/auth/confirm-email", { token });
    return user;
  }

  /** How a navigation's links sit on the page: off-screen ones, lines used, scrolling, and their look. */
  function sectionLinks(page: Page, name: string) {
    return page.getByRole("navigation", { name, exact: true }).evaluate((nav) => {
      const links = [...nav.querySelectorAll("a")];
      const tops = new Set(links.map((a) => Math.round(a.getBoundingClientRect().top)));
      const style = getComputedStyle(links[links.length - 1]);
      return {
        offScreen: links
          .filter(
            (a) => a.getBoundingClientRect().right > window.innerWidth || a.getBoundingClientRect().left < 0,
          )
          .map((a) => a.textContent),
        lines: tops.size,
        scrolls: [nav, ...nav.querySelectorAll("*")].some((el) => el.scrollWidth > el.clientWidth + 1),
        look: {
          fontSize: style.fontSize,
          borderRadius: style.borderRadius,
          padding: style.padding,
          borderStyle: style.borderStyle,
        },
      };
    });
  }

  async function fillRegistration(page: Page, user: { email: string; username: string; password: string }) {
    await page.getByLabel("E-mail").fill(user.email);
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();
  }

  it("registers, confirms from the e-mail, signs in, turns on 2FA, signs out and signs in with a code", async () => {
    const user = { email: "ada@example.org", username: "ada_l", password: PASSWORD };
    const page = await suite.openPage();

    await page.goto(`${suite.url}/register`);
    await screenshot(page, "register");
    await fillRegistration(page, user);
    await page.getByTestId("register-done").waitFor();
    await expect(page.getByTestId("register-done").textContent()).resolves.toContain(user.email);

    // Unconfirmed accounts cannot sign in yet.
    await page.goto(`${suite.url}/signin`);
    await submitSignIn(page, user.username, user.password);
    await page.getByTestId("form-error").waitFor();
    await expect(page.getByTestId("form-error").textContent()).resolves.toMatch(/confirm/i);

    const mail = await waitForMail(user.email, "/confirm-email?token=");
    const link = /\/confirm-email\?token=[^\s"'<>]+/.exec(mail.text)![0];
    await page.goto(`${suite.url}${link}`);
    await page.getByTestId("confirm-done").waitFor();
    await screenshot(page, "confirm-email");

    await page.getByRole("link", { name: "Sign in" }).last().click();
    await page.waitForURL(`${suite.url}/signin`);
    await submitSignIn(page, user.username, "wrong-password-1");
    await page.getByTestId("password-error").waitFor();
    await screenshot(page, "signin-error");
    await submitSignIn(page, user.email.toUpperCase(), user.password);
    await page.waitForURL(`${suite.url}/account`);
    await expect(page.getByTestId("account-username").textContent()).resolves.toBe(user.username);
    await expect(page.getByTestId("user-name").textContent()).resolves.toBe(user.username);

    await page.getByTestId("two-factor-setup").click();
    const secretEl = page.getByTestId("totp-secret");
    await secretEl.waitFor();
    await expect(page.getByTestId("totp-qr").getAttribute("src")).resolves.toMatch(
      /^data:image\/png;base64,/,
    );
    const secret = (await secretEl.getAttribute("data-secret"))!;
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
    await page.getByTestId("section-two-factor").screenshot({ path: screenshotPath("2fa-setup") });
    await page.getByLabel("Code from your app").fill(totp.generate());
    // Turning 2FA on asks for the password too (a session alone must not be enough).
    const totpPassword = page.locator("#totp-password");
    await totpPassword.fill("Wrong-password-1");
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect.poll(() => fieldError(totpPassword)).toMatch(/password is wrong/i);
    await totpPassword.fill(user.password);
    await page.getByRole("button", { name: "Turn on" }).click();
    await page.getByTestId("recovery-codes").waitFor();
    await expect(page.getByTestId("recovery-codes").locator("li").count()).resolves.toBeGreaterThanOrEqual(8);
    await page.getByTestId("section-two-factor").screenshot({ path: screenshotPath("2fa-codes") });
    await screenshot(page, "account");

    await page.getByTestId("user-menu-button").click();
    await screenshot(page, "user-menu", false);
    await page.getByTestId("sign-out").click();
    await page.getByTestId("signin-link").waitFor();

    // The account page now needs a sign-in and comes back after it.
    await page.goto(`${suite.url}/account`);
    await page.waitForURL(`${suite.url}/signin?next=%2Faccount&required`);
    await submitSignIn(page, user.username, user.password);
    await page.getByTestId("signin-otp").waitFor();
    await page.getByLabel("Authentication code").fill("000000");
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.getByTestId("otp-error").waitFor();
    await screenshot(page, "signin-otp");
    // The code of the next time step: the step used to turn 2FA on cannot be replayed.
    await page.getByLabel("Authentication code").fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL(`${suite.url}/account`);
    await expect(page.getByTestId("section-two-factor").textContent()).resolves.toContain("On");
  });

  it("names the field in registration errors", async () => {
    const page = await suite.openPage();
    await page.goto(`${suite.url}/register`);

    await fillRegistration(page, { email: "weak@example.org", username: "weakling", password: "short" });
    await page.locator("#password-error").waitFor();
    await expect(page.locator("#password-error").textContent()).resolves.toMatch(/at least 10 characters/);

    await fillRegistration(page, { email: ADMIN.email, username: "someone_new", password: PASSWORD });
    await page.locator("#email-error").waitFor();
    // It says what to do, in the page's spelling (the server's own words are "email is already registered").
    await expect(page.locator("#email-error").textContent()).resolves.toBe(
      "Another account already uses this e-mail address: use a different one, or sign in to that account.",
    );
    await expect(page.getByLabel("E-mail").getAttribute("aria-invalid")).resolves.toBe("true");
    await screenshot(page, "register-errors");
  });

  it("lets an admin browse users, read the outbox and the audit log", async () => {
    const page = await suite.openPage();
    await page.goto(`${suite.url}/admin/users`);
    await page.waitForURL(/\/signin\?next=%2Fadmin%2Fusers&required$/);
    // Sent here by a page that needs an account: the card says so.
    await expect.poll(() => textOf(page, "signin-page")).toContain("That page needs an account");
    await submitSignIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${suite.url}/admin/users`);
    await page.getByTestId("users-table").waitFor();
    // Signed in, the sign-in and sign-up pages say so instead of showing their forms.
    for (const path of ["/signin", "/register"]) {
      await page.goto(`${suite.url}${path}`);
      await expect.poll(() => textOf(page, "signed-in-notice")).toContain("Signed in as e2e-admin");
      await expect(page.locator("form").count()).resolves.toBe(0);
    }
    await page.getByTestId("signed-in-notice").getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${suite.url}/account`);
    await page.goto(`${suite.url}/admin/users`);
    await page.getByTestId("users-table").waitFor();
    await page.getByLabel("Search").fill("ada_l");
    await expect.poll(() => page.getByTestId("users-table").locator("tbody tr").count()).toBe(1);
    await screenshot(page, "admin-users");

    await page.getByRole("link", { name: "Outbox" }).click();
    await page.getByTestId("outbox").waitFor();
    await page.getByTestId("outbox").getByRole("button").first().click();
    const frame = page.getByTestId("mail-reader").locator("iframe");
    await expect(frame.getAttribute("sandbox")).resolves.not.toContain("allow-scripts");
    await screenshot(page, "admin-outbox");

    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByTestId("audit-table").waitFor();
    // Events name people by username; clicking one shows only that user's events.
    const rows = page.getByTestId("audit-table").locator("tbody tr");
    await rows.getByRole("button", { name: "ada_l", exact: true }).first().click();
    await expect.poll(() => page.getByLabel("User", { exact: true }).inputValue()).toBe("ada_l");
    await expect
      .poll(async () => new Set(await rows.locator("td:nth-child(3)").allTextContents()))
      .toEqual(new Set(["ada_l"]));
    await screenshot(page, "admin-audit-log");

    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Overview" }).click();
    await page.getByTestId("signup-settings").waitFor();
    await screenshot(page, "admin");
  });

  it("bans from the users page, shows the reason at sign-in, takes an appeal and lifts the ban", async () => {
    const user = await createConfirmedUser("mallory");
    const adminPage = await suite.openPage();
    await adminPage.goto(`${suite.url}/signin?next=/admin/users`);
    await submitSignIn(adminPage, ADMIN.email, ADMIN.password);
    await adminPage.getByLabel("Search").fill(user.username);
    const row = adminPage.getByTestId(`user-row-${user.username}`);
    await expect.poll(() => adminPage.getByTestId("users-table").locator("tbody tr").count()).toBe(1);
    await row.getByRole("button", { name: "Ban…" }).click();
    await adminPage.getByLabel("Reason").fill("Posting spam links");
    await screenshot(adminPage, "admin-ban-dialog", false);
    await adminPage.getByTestId("ban-dialog").getByRole("button", { name: "Ban", exact: true }).click();
    await expect.poll(() => row.textContent()).toContain("Banned");

    const memberContext = await newContext(suite.browser);
    try {
      const page = await memberContext.newPage();
      await page.goto(`${suite.url}/signin`);
      await submitSignIn(page, user.username, user.password);
      await page.getByTestId("banned").waitFor();
      await expect(page.getByTestId("ban-reason").textContent()).resolves.toBe("Posting spam links");
      await page.getByLabel("Appeal the ban").fill("That was my cat walking on the keyboard, sorry!");
      await page.getByRole("button", { name: "Send appeal" }).click();
      await page.getByTestId("appeal-sent").waitFor();
      await screenshot(page, "signin-banned");
      // Signing in again says the appeal is under review instead of offering the form again.
      await page.getByRole("button", { name: "Back to sign in" }).click();
      await submitSignIn(page, user.username, user.password);
      await expect(textOf(page, "appeal-pending")).resolves.toMatch(/being reviewed \(sent .+UTC\)/);
      await expect(page.getByLabel("Appeal the ban").count()).resolves.toBe(0);
    } finally {
      await memberContext.close();
    }

    await adminPage.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Appeals" }).click();
    const appeal = adminPage.getByTestId("appeal");
    await appeal.waitFor();
    await expect(appeal.textContent()).resolves.toContain("my cat");
    await screenshot(adminPage, "admin-appeals");
    await appeal.getByLabel("Note to the member (optional)").fill("Keep the cat off the keyboard.");
    await appeal.getByRole("button", { name: "Lift the ban" }).click();
    await expect.poll(() => adminPage.getByTestId("appeal").count()).toBe(0);
    await expect(textOf(adminPage, "appeal-notice")).resolves.toBe(
      `Appeal of ${user.username} accepted: the ban is lifted. An e-mail with the decision and your note is on its way to them.`,
    );
    const decision = await waitForMail(user.email, "Keep the cat off the keyboard.");
    expect(decision.subject).toBe("Your appeal was accepted");
    await expect(
      suite.api("POST", "/api/auth/login", { login: user.username, password: user.password }),
    ).resolves.toHaveProperty("accessToken");
  });

  it("shows a banned member the decision on their appeal and the reviewer's note, not the form again", async () => {
    const user = await createConfirmedUser("trudy");
    const found = await suite.api<{ items: { id: string }[] }>(
      "GET",
      `/api/admin/users?search=${user.username}`,
      undefined,
      adminToken,
    );
    await suite.api(
      "PATCH",
      `/api/admin/users/${found.items[0].id}`,
      { banned: true, banReason: "Vote rigging" },
      adminToken,
    );
    const memberContext = await newContext(suite.browser);
    try {
      const page = await memberContext.newPage();
      await page.goto(`${suite.url}/signin`);
      await submitSignIn(page, user.username, user.password);
      await page.getByLabel("Appeal the ban").fill("I only voted once, from my own account.");
      await page.getByRole("button", { name: "Send appeal" }).click();
      await page.getByTestId("appeal-sent").waitFor();

      const adminPage = await suite.openPage();
      await adminPage.goto(`${suite.url}/signin?next=/admin/appeals`);
      await submitSignIn(adminPage, ADMIN.email, ADMIN.password);
      const appeal = adminPage.getByTestId("appeal").filter({ hasText: "I only voted once" });
      await appeal.getByLabel("Note to the member (optional)").fill("Twelve votes came from your address.");
      await appeal.getByRole("button", { name: "Uphold" }).click();
      await expect(textOf(adminPage, "appeal-notice")).resolves.toBe(
        `Appeal of ${user.username} turned down: the ban stays. An e-mail with the decision and your note is on its way to them.`,
      );
      await expect
        .poll(() => adminPage.getByTestId("appeal").filter({ hasText: "I only voted once" }).count())
        .toBe(0);
      await screenshot(adminPage, "admin-appeal-decided");
      const mail = await waitForMail(user.email, "Twelve votes came from your address.");
      expect(mail.subject).toBe("Your appeal was turned down");

      await page.getByRole("button", { name: "Back to sign in" }).click();
      await submitSignIn(page, user.username, user.password);
      await page.getByTestId("appeal-decided").waitFor();
      await expect(textOf(page, "appeal-decision")).resolves.toBe("the ban was upheld");
      await expect(textOf(page, "appeal-note")).resolves.toBe("Twelve votes came from your address.");
      await expect(textOf(page, "ban-reason")).resolves.toBe("Vote rigging");
      await expect(page.getByLabel("Appeal the ban").count()).resolves.toBe(0);
      await screenshot(page, "signin-banned-appeal-decided");
    } finally {
      await memberContext.close();
    }
  });

  it("deletes an account from the account page and says so on the home page, signed out", async () => {
    const user = await createConfirmedUser("leaver");
    const page = await suite.openPage();
    await page.goto(`${suite.url}/signin?next=/account`);
    await submitSignIn(page, user.username, user.password);
    await page.getByTestId("account-username").waitFor();
    await page.getByRole("button", { name: "Delete my account…" }).click();
    await page.locator("#delete-password").fill(user.password);
    await page.getByLabel(`Type “${user.username}” to confirm`).fill(user.username);
    await page.getByRole("button", { name: "Delete permanently" }).click();
    // Home, with the notice: not the sign-in page the account page's guard sends signed-out visitors to.
    await page.getByTestId("account-deleted").waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    await expect(page.evaluate(() => localStorage.getItem("merit.session"))).resolves.toBeNull();
    await screenshot(page, "account-deleted");
    const login = await fetch(`${suite.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: user.username, password: user.password }),
    });
    expect(login.status).toBe(401);
  });

  it("refreshes an expired access token transparently and signs out when the refresh token is dead", async () => {
    const page = await suite.openPage();
    await page.goto(`${suite.url}/signin?next=/account`);
    await submitSignIn(page, ADMIN.email, ADMIN.password);
    await page.getByTestId("account-username").waitFor();
    const setTokens = (tokens: { accessToken?: string; refreshToken?: string }) =>
      page.evaluate((t) => {
        const stored = JSON.parse(localStorage.getItem("merit.session") ?? "{}") as Record<string, unknown>;
        localStorage.setItem("merit.session", JSON.stringify({ ...stored, ...t }));
      }, tokens);
    const storedAccessToken = () =>
      page.evaluate(
        () =>
          (JSON.parse(localStorage.getItem("merit.session") ?? "{}") as { accessToken?: string }).accessToken,
      );

    await setTokens({ accessToken: "expired-access-token" });
    await page.reload();
    await page.getByTestId("account-username").waitFor();
    await expect(storedAccessToken()).resolves.not.toBe("expired-access-token");

    // Let the page finish its own refresh first, or it may store the new pair over ours.
    await page.waitForLoadState("networkidle");
    await setTokens({ accessToken: "expired-access-token", refreshToken: "revoked-refresh-token" });
    await page.reload();
    await page.waitForURL(`${suite.url}/signin?next=%2Faccount&required`);
    await expect(page.evaluate(() => localStorage.getItem("merit.session"))).resolves.toBeNull();
  });

  it("keeps the session when two tabs refresh an expired access token at the same moment", async () => {
    const user = await createConfirmedUser("twotabs");
    const first = await suite.openPage();
    await first.goto(`${suite.url}/signin?next=/account`);
    await submitSignIn(first, user.username, user.password);
    await first.getByTestId("account-username").waitFor();
    const second = await first.context().newPage();
    await second.goto(`${suite.url}/account`);
    await second.getByTestId("account-username").waitFor();
    await second.waitForLoadState("networkidle");
    // Hold each refresh a moment on its way out, so both tabs send theirs before either has an answer.
    await first.context().route("**/api/auth/refresh", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await first.evaluate(() => {
      const stored = JSON.parse(localStorage.getItem("merit.session") ?? "{}") as Record<string, unknown>;
      localStorage.setItem(
        "merit.session",
        JSON.stringify({ ...stored, accessToken: "expired-access-token" }),
      );
    });
    await expect
      .poll(() =>
        second.evaluate(() => localStorage.getItem("merit.session")?.includes("expired-access-token")),
      )
      .toBe(true);
    await Promise.all([first.reload(), second.reload()]);
    for (const page of [first, second]) {
      await page.getByTestId("account-username").waitFor();
      await page.waitForLoadState("networkidle");
    }
    const stored = await second.evaluate(
      () => JSON.parse(localStorage.getItem("merit.session") ?? "{}") as { accessToken?: string },
    );
    const me = await suite.api<{ username: string }>("GET", "/api/users/me", undefined, stored.accessToken);
    expect(me.username).toBe("twotabs");
    expect(first.url()).toBe(`${suite.url}/account`);
    expect(second.url()).toBe(`${suite.url}/account`);
  });

  it("fits the sign-in, register and account pages on a 390 px wide screen", async () => {
    const page = await suite.openPage(PHONE);
    await page.goto(`${suite.url}/signin`);
    await page.getByTestId("signin-page").waitFor();
    await screenshot(page, "signin-mobile");
    await page.goto(`${suite.url}/register`);
    await page.getByTestId("register-page").waitFor();
    await screenshot(page, "register-mobile");

    await page.goto(`${suite.url}/signin?next=/admin/users`);
    await submitSignIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${suite.url}/admin/users`);
    await page.getByTestId("users-table").waitFor();
    await screenshot(page, "admin-users-mobile");
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    const adminLinks = await sectionLinks(page, "Admin");
    await page.goto(`${suite.url}/account`);
    await page.getByTestId("section-profile").waitFor();
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    // The account's section links behave like the admin tabs: pills wrapping onto new lines, every
    // one on screen (none in a row that scrolls sideways), drawn alike.
    const accountLinks = await sectionLinks(page, "Account sections");
    for (const links of [adminLinks, accountLinks]) {
      expect(links.scrolls).toBe(false);
      expect(links.lines).toBeGreaterThan(1);
      expect(links.offScreen).toEqual([]);
    }
    expect(accountLinks.look).toEqual(adminLinks.look);
    await screenshot(page, "account-mobile");
    await page.getByTestId("section-profile").screenshot({ path: screenshotPath("account-mobile-profile") });
    await page
      .getByTestId("section-sessions")
      .screenshot({ path: screenshotPath("account-mobile-sessions") });
    await page.getByTestId("user-menu-button").click();
    await screenshot(page, "user-menu-mobile", false);
  });
});
