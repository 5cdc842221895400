// Real delivery: MAIL_TRANSPORT=smtp against a local smtp-server, workers on, link followed from the mail.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { call, freshIp, STRONG_PASSWORD, tokenFromText } from "../accounts/accounts.test-support.ts";
import { LINK_REMOVED } from "./mail.templates.ts";

interface Received {
  from: string;
  to: string[];
  raw: string;
}

let merit: TestMerit;
let server: SMTPServer;
const inbox: Received[] = [];
let rejectTo: string | null = null;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address === rejectTo) return cb(new Error("mailbox unavailable"));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  merit = await createTestMerit({
    startJobs: true,
    env: {
      MAIL_TRANSPORT: "smtp",
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: "Merit <merit@merit.test>",
    },
  });
});
afterAll(async () => {
  await merit?.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Undoes quoted-printable soft line breaks and escapes so the link can be read from the raw message. */
const decodeQp = (s: string) =>
  s
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

describe("SMTP delivery", () => {
  it("delivers the confirmation mail from a job; the link in it confirms the account", async () => {
    const r = await call(merit, "POST", "/api/auth/register", {
      body: {
        email: "smtp-user@example.test",
        username: "smtpuser",
        password: STRONG_PASSWORD,
        locale: "de",
      },
      ip: freshIp(),
    });
    expect(r.statusCode).toBe(201);
    const mail = await waitFor(() => inbox.find((m) => m.to.includes("smtp-user@example.test")));
    expect(mail.from).toBe("merit@merit.test");
    const body = decodeQp(mail.raw);
    expect(body).toMatch(/multipart\/alternative/);
    expect(body).toContain("Willkommen bei Merit");
    const token = tokenFromText(body);
    const confirmed = await call(merit, "POST", "/api/auth/confirm-email", { body: { token } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().user.emailConfirmed).toBe(true);
    const row = await waitFor(async () => {
      const x = await merit.core.db.query<{ status: string; attempts: number; sent_at: Date | null }>(
        "SELECT status, attempts, sent_at FROM mail_outbox WHERE to_address = 'smtp-user@example.test'",
      );
      return x[0]?.status === "sent" ? x[0] : undefined;
    });
    expect(row.attempts).toBe(1);
    expect(row.sent_at).not.toBeNull();
    // Once out, the stored copy (which admins read) no longer holds the live link.
    const [stored] = await merit.core.db.query<{
      text_body: string;
      html_body: string;
      redacted_text: string | null;
    }>(
      "SELECT text_body, html_body, redacted_text FROM mail_outbox WHERE to_address = 'smtp-user@example.test'",
    );
    expect(stored.text_body).not.toContain(token);
    expect(stored.html_body).not.toContain(token);
    expect(stored.text_body).toContain(LINK_REMOVED);
    expect(stored.html_body).toContain(LINK_REMOVED);
    expect(stored.text_body).toContain("Willkommen bei Merit");
    expect(stored.redacted_text).toBeNull();
  });

  it("records a refused delivery in the outbox and leaves it queued for a retry", async () => {
    rejectTo = "refused@example.test";
    await call(merit, "POST", "/api/auth/register", {
      body: { email: "refused@example.test", username: "refused", password: STRONG_PASSWORD },
      ip: freshIp(),
    });
    const row = await waitFor(async () => {
      const x = await merit.core.db.query<{ status: string; attempts: number; last_error: string | null }>(
        "SELECT status, attempts, last_error FROM mail_outbox WHERE to_address = 'refused@example.test'",
      );
      return x[0] && x[0].attempts > 0 ? x[0] : undefined;
    });
    expect(row.status).toBe("queued");
    expect(row.last_error).toMatch(/mailbox unavailable/);
    // Not out yet: the retry still needs the link.
    const [stored] = await merit.core.db.query<{ text_body: string }>(
      "SELECT text_body FROM mail_outbox WHERE to_address = 'refused@example.test'",
    );
    expect(stored.text_body).not.toContain(LINK_REMOVED);
    expect(tokenFromText(stored.text_body)).toMatch(/\S/);
  });
});
