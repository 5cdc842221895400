// Admin changes that shape future points (categories, types, multipliers, campaigns, settings) are
// written to the audit log with who made them and what changed; a refused or empty change writes nothing.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";

let merit: TestMerit;
let admin: string;
let adminId: string;

beforeAll(async () => {
  merit = await createTestMerit({ clock: new ManualClock("2026-05-04T09:00:00Z") });
  const a = await signedInUser(merit, "keeper", ["admin", "member"]);
  admin = a.accessToken;
  adminId = a.user.id;
});

afterAll(() => merit.close());

interface Event {
  type: string;
  actorId: string | null;
  actorUsername: string | null;
  details: Record<string, unknown>;
}

/** The events of one type, newest first. */
async function events(type: string): Promise<Event[]> {
  const r = await call(merit, "GET", `/api/admin/audit-log?type=${type}&limit=100`, { token: admin });
  expect(r.statusCode).toBe(200);
  return r.json().items;
}

const send = (method: "POST" | "PATCH", url: string, body: unknown) =>
  call(merit, method, url, { token: admin, body });

describe("catalog changes in the audit log", () => {
  let categoryId: string;
  let typeId: string;

  it("records a category created and renamed, and nothing for an edit that changes nothing", async () => {
    const c = await send("POST", "/api/categories", { name: "Builders", slug: "builders" });
    expect(c.statusCode).toBe(201);
    categoryId = c.json().id;
    expect(await events("category.created")).toEqual([
      expect.objectContaining({
        actorId: adminId,
        actorUsername: "keeper",
        details: { category: "builders", categoryId, name: "Builders" },
      }),
    ]);

    expect(
      (await send("PATCH", `/api/categories/${categoryId}`, { name: "Builders & makers" })).statusCode,
    ).toBe(200);
    expect(
      (await send("PATCH", `/api/categories/${categoryId}`, { name: "Builders & makers" })).statusCode,
    ).toBe(200);
    const updated = await events("category.updated");
    expect(updated).toHaveLength(1);
    expect(updated[0].details).toEqual({
      category: "builders",
      categoryId,
      changes: { name: { from: "Builders", to: "Builders & makers" } },
    });

    // A slug already taken is refused before anything is written.
    expect((await send("POST", "/api/categories", { name: "Again", slug: "builders" })).statusCode).toBe(409);
    expect(await events("category.created")).toHaveLength(1);
  });

  it("records a type created and each edited field with its old and new value", async () => {
    const t = await send("POST", "/api/contributions/types", {
      name: "Pull request",
      slug: "pull-request",
      category: "builders",
      minPoints: 1,
      maxPoints: 50,
    });
    expect(t.statusCode).toBe(201);
    typeId = t.json().id;
    expect((await events("contribution-type.created"))[0]).toMatchObject({
      actorId: adminId,
      details: {
        contributionType: "pull-request",
        contributionTypeId: typeId,
        category: "builders",
        minPoints: 1,
        maxPoints: 50,
      },
    });

    const p = await send("PATCH", `/api/contributions/types/${typeId}`, {
      maxPoints: 80,
      caps: { perParticipantPerWeek: 200 },
    });
    expect(p.statusCode).toBe(200);
    const [updated] = await events("contribution-type.updated");
    expect(updated.details).toEqual({
      contributionType: "pull-request",
      contributionTypeId: typeId,
      changes: {
        maxPoints: { from: 50, to: 80 },
        caps: {
          from: { total: null, perParticipantPerWeek: null },
          to: { total: null, perParticipantPerWeek: 200 },
        },
      },
    });

    // Refused edits (a range upside down, a category move) write nothing.
    expect((await send("PATCH", `/api/contributions/types/${typeId}`, { minPoints: 90 })).statusCode).toBe(
      422,
    );
    expect(
      (await send("PATCH", `/api/contributions/types/${typeId}`, { category: "other" })).statusCode,
    ).toBe(422);
    expect(await events("contribution-type.updated")).toHaveLength(1);
  });

  it("records a multiplier added, once: the same validFrom again is refused and not recorded", async () => {
    const body = {
      contributionTypeId: typeId,
      value: "1.25",
      validFrom: "2026-06-01T00:00:00Z",
      description: "June push",
    };
    const m = await send("POST", "/api/leaderboard/multipliers", body);
    expect(m.statusCode).toBe(201);
    expect((await send("POST", "/api/leaderboard/multipliers", { ...body, value: "2" })).statusCode).toBe(
      409,
    );
    expect(await events("multiplier.created")).toEqual([
      expect.objectContaining({
        actorId: adminId,
        details: {
          contributionType: "pull-request",
          contributionTypeId: typeId,
          multiplierId: m.json().id,
          value: "1.25",
          validFrom: "2026-06-01T00:00:00.000Z",
        },
      }),
    ]);
  });

  it("records a campaign created with its window, pool and counted types", async () => {
    const r = await send("POST", "/api/campaigns", {
      slug: "may",
      name: "May",
      startsAt: "2026-05-01T00:00:00Z",
      endsAt: "2026-06-01T00:00:00Z",
      pool: { amount: "500", token: "VTX", decimals: 2 },
      contributionTypes: [typeId],
    });
    expect(r.statusCode).toBe(201);
    expect((await events("campaign.created"))[0]).toMatchObject({
      actorId: adminId,
      details: {
        campaign: "may",
        campaignId: r.json().id,
        name: "May",
        startsAt: "2026-05-01T00:00:00.000Z",
        endsAt: "2026-06-01T00:00:00.000Z",
        pool: { amount: "500", token: "VTX", decimals: 2 },
        contributionTypes: [typeId],
      },
    });
  });

  it("records settings changed with their old and new values; an invalid patch changes and records nothing", async () => {
    const key = "leaderboard.snapshotDailyCron";
    const before = (await call(merit, "GET", "/api/admin/settings", { token: admin })).json().items;
    const old = before.find((s: { key: string }) => s.key === key).value;
    expect((await send("PATCH", "/api/admin/settings", { [key]: "15 1 * * *" })).statusCode).toBe(200);
    expect((await send("PATCH", "/api/admin/settings", { [key]: "15 1 * * *" })).statusCode).toBe(200);
    expect((await send("PATCH", "/api/admin/settings", { [key]: 5 })).statusCode).toBe(422);
    expect(await events("settings.changed")).toEqual([
      expect.objectContaining({
        actorId: adminId,
        details: { changes: { [key]: { from: old, to: "15 1 * * *" } } },
      }),
    ]);
    // The beta allow-list holds e-mail addresses: the log counts them and keeps no copy.
    const list = "accounts.betaAllowlist";
    expect(
      (await send("PATCH", "/api/admin/settings", { [list]: ["a@x.test", "b@x.test"] })).statusCode,
    ).toBe(200);
    // (Events share the manual clock's instant, so the event is picked by its key, not by order.)
    const listed = (await events("settings.changed")).find((e) => list in (e.details.changes as object))!;
    expect(listed.details).toEqual({ changes: { [list]: { from: { items: 0 }, to: { items: 2 } } } });
    expect(JSON.stringify(listed)).not.toContain("x.test");
  });

  it("lists the event types the log holds, by name, to admins only", async () => {
    const r = await call(merit, "GET", "/api/admin/audit-log/types", { token: admin });
    expect(r.statusCode).toBe(200);
    const { items, total } = r.json() as { items: string[]; total: number };
    expect(total).toBe(items.length);
    expect(items).toEqual([...items].sort());
    expect(items).toEqual(
      expect.arrayContaining([
        "campaign.created",
        "category.created",
        "category.updated",
        "multiplier.created",
        "settings.changed",
        "sign-in",
      ]),
    );
    expect(items).not.toContain("forum-campaign.reset");
    const member = (await signedInUser(merit, "plain")).accessToken;
    expect((await call(merit, "GET", "/api/admin/audit-log/types", { token: member })).statusCode).toBe(403);
    expect((await call(merit, "GET", "/api/admin/audit-log/types")).statusCode).toBe(401);
  });

  it("filters events by who caused them; an unknown name is a 404 naming the filter", async () => {
    const r = await call(merit, "GET", "/api/admin/audit-log?actor=keeper&limit=100", { token: admin });
    expect(r.statusCode).toBe(200);
    const items = r.json().items as Event[];
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((e) => e.actorUsername))).toEqual(new Set(["keeper"]));
    // The admin's catalog edits name no user: only the actor filter finds them.
    expect(items.map((e) => e.type)).toContain("multiplier.created");
    const byUser = await call(merit, "GET", "/api/admin/audit-log?user=keeper&type=multiplier.created", {
      token: admin,
    });
    expect(byUser.json().total).toBe(0);
    const missing = await call(merit, "GET", "/api/admin/audit-log?actor=nobody-here", { token: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: "USER_NOT_FOUND", details: { field: "actor" } });
  });
});
