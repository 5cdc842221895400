// Ban appeals as the member and the admin live them: the sign-in refusal says where the ban's one
// appeal stands (possible, pending, decided with the reviewer's note), and every decision is mailed
// to the member through the outbox in the decision's transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { call, freshIp, lastMailTo, STRONG_PASSWORD, signedInUser } from "./accounts.test-support.ts";

let merit: TestMerit;
let adminToken: string;
beforeAll(async () => {
  merit = await createTestMerit();
  adminToken = (await signedInUser(merit, "judge", ["admin", "member"])).accessToken;
});
afterAll(() => merit?.destroy());

const login = (name: string) =>
  call(merit, "POST", "/api/auth/login", { body: { login: name, password: STRONG_PASSWORD }, ip: freshIp() });

const ban = (userId: string, body: Record<string, unknown>) =>
  call(merit, "PATCH", `/api/admin/users/${userId}`, { token: adminToken, body });

const decide = (id: string, body: unknown) =>
  call(merit, "POST", `/api/admin/appeals/${id}/decision`, { token: adminToken, body });

/** A signed-in member, banned, who filed their appeal; returns the appeal as the API answered it. */
async function bannedWithAppeal(username: string, reason: string) {
  const u = await signedInUser(merit, username);
  await ban(u.user.id, { banned: true, banReason: reason });
  const token = (await login(username)).json().error.details.appealToken;
  const filed = await call(merit, "POST", "/api/appeals", {
    body: { appealToken: token, message: "It was not me" },
    ip: freshIp(),
  });
  expect(filed.statusCode, filed.body).toBe(201);
  return { user: u.user, appeal: filed.json() as { id: string; createdAt: string } };
}

/** Mails of the decision template to an address, newest first. */
async function decisionMails(to: string) {
  return merit.core.db.query<{ subject: string; text_body: string; status: string }>(
    `SELECT subject, text_body, status FROM mail_outbox WHERE to_address = $1 AND template = 'appeal-decision'
     ORDER BY created_at DESC`,
    [to],
  );
}

describe("the sign-in refusal of a banned member", () => {
  it("offers the appeal once, then says it is pending, then gives the decision and the note", async () => {
    const u = await signedInUser(merit, "appellant");
    await ban(u.user.id, { banned: true, banReason: "spam" });

    const first = (await login("appellant")).json().error;
    expect(first.code).toBe("ACCOUNT_BANNED");
    expect(first.details).toEqual({
      banReason: "spam",
      bannedAt: merit.clock.now().toISOString(),
      appealToken: expect.any(String),
      appeal: { status: "possible", sentAt: null, decision: null, decidedAt: null, note: null },
    });

    merit.clock.advance(60_000);
    const filed = await call(merit, "POST", "/api/appeals", {
      body: { appealToken: first.details.appealToken, message: "My little brother used my laptop" },
    });
    expect(filed.statusCode).toBe(201);
    const pending = (await login("appellant")).json().error;
    expect(pending.code).toBe("ACCOUNT_BANNED");
    // No way to appeal again: no token, and the page can say when the appeal was sent.
    expect(pending.details).toMatchObject({
      banReason: "spam",
      appealToken: null,
      appeal: {
        status: "pending",
        sentAt: filed.json().createdAt,
        decision: null,
        decidedAt: null,
        note: null,
      },
    });

    merit.clock.advance(60_000);
    const decided = await decide(filed.json().id, {
      decision: "uphold",
      note: "The links came from your IP.",
    });
    expect(decided.statusCode).toBe(200);
    const after = (await login("appellant")).json().error;
    expect(after.code).toBe("ACCOUNT_BANNED");
    expect(after.details).toMatchObject({
      appealToken: null,
      appeal: {
        status: "decided",
        sentAt: filed.json().createdAt,
        decision: "upheld",
        decidedAt: merit.clock.now().toISOString(),
        note: "The links came from your IP.",
      },
    });

    // A later ban is a new ban: its one appeal is possible again.
    await ban(u.user.id, { banned: false });
    merit.clock.advance(60_000);
    await ban(u.user.id, { banned: true, banReason: "more spam" });
    const again = (await login("appellant")).json().error;
    expect(again.details).toMatchObject({
      banReason: "more spam",
      appealToken: expect.any(String),
      appeal: { status: "possible", sentAt: null, note: null },
    });
  });

  it("keeps the reviewer's note from the member while the appeal is open and shows none if not given", async () => {
    const { appeal } = await bannedWithAppeal("quietone", "rude");
    expect((await login("quietone")).json().error.details.appeal).toMatchObject({
      status: "pending",
      note: null,
    });
    await decide(appeal.id, { decision: "uphold" });
    expect((await login("quietone")).json().error.details.appeal).toMatchObject({
      status: "decided",
      decision: "upheld",
      note: null,
    });
  });
});

describe("an appeal decision", () => {
  it("is mailed to the member with the note when upheld, queued in the outbox", async () => {
    const { appeal } = await bannedWithAppeal("upheldmember", "spam");
    expect(await decisionMails("upheldmember@example.test")).toHaveLength(0);
    const r = await decide(appeal.id, { decision: "uphold", note: "  Three warnings were enough.  " });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: "upheld",
      note: "Three warnings were enough.",
      memberNotified: true,
    });
    const mails = await decisionMails("upheldmember@example.test");
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("Your appeal was turned down");
    expect(mails[0].text_body).toContain("upheld the suspension");
    expect(mails[0].text_body).toContain("Note from the administrator: Three warnings were enough.");
    expect(mails[0].text_body).toContain("Your account stays suspended");
    expect(mails[0].status).toBe("queued");
  });

  it("is mailed when the ban is lifted, and the member can sign in", async () => {
    const { appeal } = await bannedWithAppeal("liftedmember", "mistake");
    const r = await decide(appeal.id, { decision: "lift" });
    expect(r.json()).toMatchObject({ status: "lifted", note: null, memberNotified: true });
    const mail = await lastMailTo(merit, "liftedmember@example.test", "appeal-decision");
    expect(mail?.subject).toBe("Your appeal was accepted");
    expect(mail?.text_body).toContain("lifted the suspension");
    expect(mail?.text_body).toContain("you can sign in again");
    expect(mail?.text_body).not.toContain("Note from the administrator");
    expect((await login("liftedmember")).statusCode).toBe(200);
  });

  it("says another suspension is still in force when the appeal was about an earlier ban", async () => {
    const { user, appeal } = await bannedWithAppeal("twicebanned", "first");
    await ban(user.id, { banned: false });
    merit.clock.advance(60_000);
    await ban(user.id, { banned: true, banReason: "second" });
    await decide(appeal.id, { decision: "lift", note: "The first one was a mistake." });
    const mail = await lastMailTo(merit, "twicebanned@example.test", "appeal-decision");
    expect(mail?.text_body).toContain("Another suspension of your account is still in force");
    expect((await login("twicebanned")).statusCode).toBe(403);
  });

  it("queues nothing when refused: bad input, an unknown appeal, a second decision", async () => {
    const { appeal } = await bannedWithAppeal("refusedcases", "spam");
    const tooLong = await decide(appeal.id, { decision: "uphold", note: "x".repeat(2001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({ code: "VALIDATION_ERROR" });
    expect(tooLong.json().error.details[0].field).toBe("body.note");
    const badDecision = await decide(appeal.id, { decision: "maybe" });
    expect(badDecision.statusCode).toBe(400);
    expect(badDecision.json().error.message).toContain("decision");
    const unknown = await decide("00000000-0000-4000-8000-000000000000", { decision: "uphold" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe("APPEAL_NOT_FOUND");
    expect(await decisionMails("refusedcases@example.test")).toHaveLength(0);
    expect((await login("refusedcases")).json().error.details.appeal.status).toBe("pending");

    expect((await decide(appeal.id, { decision: "lift" })).statusCode).toBe(200);
    const twice = await decide(appeal.id, { decision: "uphold", note: "changed my mind" });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe("APPEAL_DECIDED");
    const mails = await decisionMails("refusedcases@example.test");
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("Your appeal was accepted");
  });

  it("is documented with the mail and the refusal's details in OpenAPI", async () => {
    const doc = (await merit.app.inject({ url: "/docs/openapi.json" })).json();
    const decision = doc.paths["/api/admin/appeals/{id}/decision"].post;
    expect(decision.description).toContain("e-mail");
    expect(JSON.stringify(decision.responses["200"])).toContain("memberNotified");
    const refused = doc.paths["/api/auth/login"].post.responses["403"].content["application/json"].schema;
    expect(refused.properties.error.properties.details.properties.appeal.properties.status).toBeDefined();
  });
});
