// A forum campaign end to end on the system clock, with real job workers: the module's scheduler
// claims 5-second rounds, `forum.check-profile` jobs scrape the simulator, posts mature after one
// minute and are credited into the points ledger. Participants go through the HTTP API, the forum
// changes through the simulator's control API; nothing here calls the tracking or crediting services.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../core/clock.ts";
import { rows } from "../../core/db/client.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { FORUM_SETTING_KEYS } from "./forum.settings.ts";
import { createLiveForumTestEnv, DESIGN_CODE, type ForumTestEnv } from "./forum.test-support.ts";

const SLUG = "live";
const POOL = "1000";
const LONG = "A long enough post about running a full node, written during the live end to end test.";
/** Posts mature after one minute; everything after that is checking rounds and job latency. */
const SETTLE_TIMEOUT_MS = 120_000;

let env: ForumTestEnv<Clock>;
let admin: string;

beforeAll(async () => {
  // Several requests per second against the local simulator; one retry so a fault burst also
  // produces failed checks, not only retried requests.
  env = await createLiveForumTestEnv({ [FORUM_SETTING_KEYS.requestsPerSecond]: 10 });
  admin = (await signedInUser(env.merit, "liveadmin", ["admin", "member"])).accessToken;
}, 60_000);
afterAll(() => env?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `done` holds; fails with the last value after `timeoutMs`. */
async function waitFor<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(500);
  }
}

/** The simulator's control API (JSON). */
async function sim(method: string, path: string, body?: unknown) {
  const res = await fetch(`${env.simUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return res.status === 204 ? null : res.json();
}

interface Participant {
  token: string;
  userId: string;
  profileId: string;
  forumUserId: number;
}

interface PostView {
  messageId: number;
  status: string;
  reason: string | null;
  points: string;
  uptimePercent: string | null;
  missingSeconds: number;
}

/** A member joins through the API: claim, choose the design, wear it on the forum, verify. */
async function join(name: string, forumUserId: number, position: string, designId: string) {
  const user = await signedInUser(env.merit, name);
  const token = user.accessToken;
  await sim("POST", "/_sim/members", { id: forumUserId, name, position, signature: null });
  const claim = await call(env.merit, "POST", "/api/forum/profiles", {
    token,
    body: { site: "bitcointalk", forumUser: String(forumUserId), campaign: SLUG },
  });
  expect(claim.statusCode).toBe(201);
  const profileId: string = claim.json().id;
  const chosen = await call(env.merit, "POST", `/api/forum/profiles/${profileId}/signature`, {
    token,
    body: { signatureId: designId },
  });
  expect(chosen.json()).toEqual({ code: DESIGN_CODE });
  const verify = () => call(env.merit, "POST", `/api/forum/profiles/${profileId}/verify`, { token });
  // Not worn yet: verification refuses.
  expect((await verify()).json().error.code).toBe("SIGNATURE_NOT_FOUND");
  await sim("PATCH", `/_sim/members/${forumUserId}`, {
    signature: `${chosen.json().code} ${claim.json().verificationCode}`,
  });
  expect((await verify()).json()).toEqual({ verified: true });
  // The code may come off once verified: later checks look for the design only.
  await sim("PATCH", `/_sim/members/${forumUserId}`, { signature: chosen.json().code });
  return { token, userId: user.user.id, profileId, forumUserId } satisfies Participant;
}

const postsOf = async (p: Participant): Promise<PostView[]> => {
  const r = await call(env.merit, "GET", `/api/forum/profiles/${p.profileId}/posts`, { token: p.token });
  expect(r.statusCode).toBe(200);
  return r.json().items;
};

const post = async (p: Participant): Promise<number> =>
  (
    (await sim("POST", "/_sim/posts", { memberId: p.forumUserId, topicId: 700, text: LONG })) as {
      messageId: number;
    }
  ).messageId;

/** Injects `count` faulty answers of one kind and waits until the scraper has hit all of them. */
async function faultBurst(mode: string, count: number) {
  await sim("POST", "/_sim/faults", { mode, count });
  await waitFor(
    `the ${mode} faults to be served`,
    async () => ((await sim("GET", "/_sim/state")) as { fault: { remaining: number } }).fault,
    (f) => f.remaining === 0,
    30_000,
  );
}

describe("forum campaign with real jobs and the simulator", () => {
  it("finds posts, survives forum faults and credits matured posts into the campaign board", async () => {
    const design = await call(env.merit, "POST", "/api/forum/signatures", {
      token: admin,
      body: {
        name: "Live design",
        code: DESIGN_CODE,
        allowedRanks: ["Member", "Full Member", "Hero Member"],
      },
    });
    expect(design.statusCode).toBe(201);
    const now = Date.now();
    const created = await call(env.merit, "POST", "/api/forum/campaigns", {
      token: admin,
      body: {
        slug: SLUG,
        name: "Live campaign",
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 86_400_000).toISOString(),
        pool: POOL,
        poolToken: "VTX",
        maturationMinutes: 1,
        scrapeIntervalSeconds: 5,
      },
    });
    expect(created.statusCode).toBe(201);

    const keeper = await join("keeper", 9101, "Hero Member", design.json().id);
    const remover = await join("remover", 9102, "Full Member", design.json().id);
    const deleter = await join("deleter", 9103, "Member", design.json().id);
    const kept = await post(keeper);
    const dropped = await post(remover);
    const survivor = await post(deleter);
    const doomed = await post(deleter);

    // Verified profiles with nothing maturing are checked every third round: found within ~15 s.
    const everyone = [keeper, remover, deleter];
    await waitFor(
      "the posts to be found",
      () => Promise.all(everyone.map(postsOf)),
      (lists) => lists.map((l) => l.length).join() === "1,1,2",
      45_000,
    );
    for (const list of await Promise.all(everyone.map(postsOf)))
      for (const p of list) expect(p.status).toBe("pending");

    // During maturation: one participant drops the signature, one post disappears from the forum,
    // and the forum answers badly for a while.
    await sim("PATCH", `/_sim/members/${remover.forumUserId}`, { signature: null });
    await sim("DELETE", `/_sim/posts/${doomed}`);
    for (const mode of ["error500", "cloudflare", "too-fast"]) await faultBurst(mode, 6);
    const failed = await rows<{ outcome: string }>(
      env.merit.core.db.orm,
      sql`SELECT DISTINCT s.outcome FROM forum_scrapes s JOIN forum_campaigns c ON c.id = s.campaign_id
          WHERE c.slug = ${SLUG} AND s.outcome <> 'ok'`,
    );
    expect(failed.map((r) => r.outcome).sort()).toEqual(
      expect.arrayContaining(["cloudflare", "error", "rate-limited"]),
    );
    // Failed checks never count as a missing signature.
    for (const p of [...(await postsOf(keeper)), ...(await postsOf(deleter))]) {
      if (p.messageId !== doomed) expect(p).toMatchObject({ missingSeconds: 0, reason: null });
    }

    await waitFor(
      "every post to be decided",
      async () => (await Promise.all(everyone.map(postsOf))).flat(),
      (posts) => posts.every((p) => p.status !== "pending"),
      SETTLE_TIMEOUT_MS,
    );
    expect(await postsOf(keeper)).toMatchObject([
      { messageId: kept, status: "credited", points: "105", uptimePercent: "100.00", missingSeconds: 0 },
    ]);
    const [lost] = await postsOf(remover);
    expect(lost).toMatchObject({ messageId: dropped, status: "uncredited", reason: "LOW_UPTIME" });
    expect(Number(lost.uptimePercent)).toBeLessThan(90);
    const byId = new Map((await postsOf(deleter)).map((p) => [p.messageId, p]));
    expect(byId.get(survivor)).toMatchObject({ status: "credited", points: "100", uptimePercent: "100.00" });
    expect(byId.get(doomed)).toMatchObject({ status: "uncredited", reason: "DELETED" });

    // Credited posts are in the ledger: the campaign board ranks them and splits the whole pool. A post
    // shows `credited` once decided; its award reaches the ledger right after that commit.
    const board = await waitFor(
      "both credited participants on the campaign board",
      async () => {
        const r = await call(env.merit, "GET", `/api/leaderboard?board=campaign:${SLUG}`);
        expect(r.statusCode).toBe(200);
        return r.json() as { items: Array<{ rank: number; userId: string; points: string; share: string }> };
      },
      (b) => b.items.length >= 2,
      30_000,
    );
    const items = board.items;
    expect(items.map((i) => [i.rank, i.userId, i.points])).toEqual([
      [1, keeper.userId, "105"],
      [2, deleter.userId, "100"],
    ]);
    const units = (share: string) => BigInt(share.replace(".", ""));
    expect(items.every((i) => /^\d+\.\d{8}$/.test(i.share))).toBe(true);
    expect(items.reduce((sum, i) => sum + units(i.share), 0n)).toBe(BigInt(POOL) * 10n ** 8n);

    // The work was done by the job workers.
    const jobs = await rows<{ n: number }>(
      env.merit.core.db.orm,
      sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'forum.check-profile' AND state = 'completed'`,
    );
    expect(jobs[0].n).toBeGreaterThan(3);
  }, 300_000);
});
