// Helpers for integration tests that need signed-in users (usable by other modules' tests too).
// Per-IP rate limits are real in tests: give each simulated client its own `ip`.
import { sql } from "drizzle-orm";
import type { TestMerit } from "../../../test/support/test-app.ts";
import type { Clock } from "../../core/clock.ts";
import { rows } from "../../core/db/client.ts";
import type { Role } from "../../core/http/actor.ts";
import { createUser } from "./accounts.service.ts";

export const STRONG_PASSWORD = "Correct-Horse-42!";
let ipCounter = 0;

/** A fresh client IP (X-Forwarded-For) so per-IP limits of one test don't leak into another. */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** JSON POST/GET/... through app.inject with optional bearer token and client IP. */
export async function call(
  merit: TestMerit<Clock>,
  method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT",
  url: string,
  opts: { body?: unknown; token?: string; ip?: string } = {},
) {
  const headers: Record<string, string> = { "x-forwarded-for": opts.ip ?? "127.0.0.1" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return merit.app.inject({
    method,
    url,
    headers,
    ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
  });
}

/** The newest outbox mail to an address (optionally of one template). */
export async function lastMailTo(merit: TestMerit<Clock>, to: string, template?: string) {
  const r = await rows<{
    subject: string;
    text_body: string;
    html_body: string;
    template: string;
    status: string;
  }>(
    merit.core.db.orm,
    sql`SELECT subject, text_body, html_body, template, status FROM mail_outbox
        WHERE lower(to_address) = lower(${to}) AND (${template ?? null}::text IS NULL OR template = ${template ?? null})
        ORDER BY created_at DESC`,
  );
  return r[0] ?? null;
}

/** The `token` query parameter of the first link in a mail text. */
export function tokenFromText(text: string): string {
  const m = /https?:\/\/\S+[?&]token=([A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error(`no token link in mail:\n${text}`);
  return m[1];
}

/** Creates a confirmed account directly through the service (no mail, no limits). */
export async function createConfirmedUser(
  merit: TestMerit<Clock>,
  username: string,
  opts: { roles?: Role[]; password?: string } = {},
) {
  return createUser(
    { db: merit.core.db, clock: merit.clock },
    {
      email: `${username}@example.test`,
      username,
      password: opts.password ?? STRONG_PASSWORD,
      roles: opts.roles ?? ["member"],
      emailConfirmed: true,
    },
  );
}

/** Signs in and returns the token pair (throws if sign-in fails). */
export async function signIn(
  merit: TestMerit<Clock>,
  login: string,
  password = STRONG_PASSWORD,
  otp?: string,
) {
  const r = await call(merit, "POST", "/api/auth/login", { body: { login, password, otp }, ip: freshIp() });
  if (r.statusCode !== 200) throw new Error(`sign-in of ${login} failed: ${r.statusCode} ${r.body}`);
  return r.json() as { accessToken: string; refreshToken: string; expiresIn: number; user: { id: string } };
}

/** A confirmed user with the given roles, signed in. */
export async function signedInUser(merit: TestMerit<Clock>, username: string, roles: Role[] = ["member"]) {
  const user = await createConfirmedUser(merit, username, { roles });
  const tokens = await signIn(merit, username);
  return { ...tokens, user };
}
