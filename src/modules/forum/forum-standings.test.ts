// Campaign standings name and list participants the way the boards do: display name (username kept),
// hidden, banned and deleted participants left out.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { call } from "../accounts/accounts.test-support.ts";
import { makeCampaign, useForumTestEnv, verifiedParticipant } from "./forum.test-support.ts";

const env = useForumTestEnv(new ManualClock("2026-03-02T12:00:00Z"));

describe("forum standings", () => {
  it("carry each participant's display name (null where none is set) beside the username", async () => {
    await makeCampaign(env, { slug: "names" });
    const named = await verifiedParticipant(env, "names");
    const unnamed = await verifiedParticipant(env, "names");
    const db = env.merit.core.db.orm;
    await db.execute(sql`UPDATE users SET display_name = 'Grace Hopper' WHERE id = ${named.userId}`);
    await db.execute(sql`UPDATE users SET display_name = NULL WHERE id = ${unnamed.userId}`);

    const r = await call(env.merit, "GET", "/api/forum/campaigns/names/standings");
    expect(r.statusCode).toBe(200);
    const byUser = new Map(r.json().items.map((i: { userId: string }) => [i.userId, i]));
    expect(byUser.get(named.userId)).toMatchObject({
      username: `u${named.forumUserId}`,
      displayName: "Grace Hopper",
    });
    expect(byUser.get(unnamed.userId)).toMatchObject({
      username: `u${unnamed.forumUserId}`,
      displayName: null,
    });
  });

  it("leave hidden, banned and deleted participants out, like the boards", async () => {
    await makeCampaign(env, { slug: "listed" });
    const shown = await verifiedParticipant(env, "listed");
    const hidden = await verifiedParticipant(env, "listed");
    const banned = await verifiedParticipant(env, "listed");
    const deleted = await verifiedParticipant(env, "listed");
    const db = env.merit.core.db.orm;
    await db.execute(sql`UPDATE users SET hidden = true WHERE id = ${hidden.userId}`);
    await db.execute(sql`UPDATE users SET banned_at = now() WHERE id = ${banned.userId}`);
    await db.execute(sql`UPDATE users SET deleted_at = now() WHERE id = ${deleted.userId}`);

    const r = await call(env.merit, "GET", "/api/forum/campaigns/listed/standings");
    expect(r.statusCode).toBe(200);
    expect(r.json().items.map((i: { userId: string }) => i.userId)).toEqual([shown.userId]);
    expect(r.json().participants).toBe(1);
  });
});
