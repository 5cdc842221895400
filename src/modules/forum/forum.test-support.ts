// Test helpers of the forum module: a simulator on loopback sharing the test's clock (a ManualClock,
// or the system clock for tests driven by real job workers), a wired Merit pointed at it with fast
// scraper settings, and shortcuts to a verified participant.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { type Clock, type ManualClock, systemClock } from "../../core/clock.ts";
import type { Actor } from "../../core/http/actor.ts";
import { FORUM_SETTING_KEYS } from "./forum.settings.ts";
import type { CampaignInput } from "./forum-catalog.service.ts";
import { createForumSim, type ForumSim } from "./sim/forum-sim.server.ts";

export const DESIGN_CODE =
  "[url=https://merit.example/campaign]Merit campaign[/url] [url=https://merit.example/join]Join[/url]";

/** A post long enough for every length rule of the test campaigns. */
export const LONG_POST = "A reasonably long post about running a full node, long enough for every rule.";

export const adminActor = (userId: string): Actor => ({ userId, roles: ["admin", "member"], via: "session" });
export const memberActor = (userId: string): Actor => ({ userId, roles: ["member"], via: "session" });

export interface ForumTestEnv<C extends Clock = ManualClock> {
  merit: TestMerit<C>;
  sim: ForumSim;
  /** The simulator's base URL (its control API is under /_sim/). */
  simUrl: string;
  clock: C;
  admin: Actor;
  close(): Promise<void>;
}

/** Starts the simulator on 127.0.0.1 (free port) and a Merit scraping it with fast settings. */
export function createForumTestEnv(
  clock: ManualClock,
  settings: Record<string, unknown> = {},
): Promise<ForumTestEnv> {
  return startForumEnv(clock, settings, false);
}

/**
 * Registers the hooks of a test file that runs on one forum test env: started before its tests (and
 * before the file's own beforeAll hooks registered after this call), closed after them. The returned
 * env's fields are there inside tests and hooks.
 */
export function useForumTestEnv(clock: ManualClock, settings: Record<string, unknown> = {}): ForumTestEnv {
  let env: ForumTestEnv | undefined;
  beforeAll(async () => {
    env = await createForumTestEnv(clock, settings);
  });
  afterAll(() => env?.close());
  const started = () => {
    if (!env) throw new Error("The forum test env is there only inside tests and hooks");
    return env;
  };
  return {
    get merit() {
      return started().merit;
    },
    get sim() {
      return started().sim;
    },
    get simUrl() {
      return started().simUrl;
    },
    clock,
    get admin() {
      return started().admin;
    },
    close: () => started().close(),
  };
}

/**
 * The same on the system clock with job workers and the module's scheduler running, so scrape
 * rounds, checks and crediting happen through the real jobs (pg-boss timing follows wall time).
 */
export function createLiveForumTestEnv(settings: Record<string, unknown> = {}): Promise<ForumTestEnv<Clock>> {
  return startForumEnv(systemClock, settings, true);
}

async function startForumEnv<C extends Clock>(
  clock: C,
  settings: Record<string, unknown>,
  startJobs: boolean,
): Promise<ForumTestEnv<C>> {
  const sim = createForumSim({ clock });
  const { url } = await sim.listen(0, "127.0.0.1");
  const merit = await createTestMerit({ clock, startJobs, env: { BITCOINTALK_URL: url } });
  const [adminId] = Object.values(await makeUsers(merit, ["forumadmin"]));
  const admin = adminActor(adminId);
  await merit.composition.settings.update(admin, {
    [FORUM_SETTING_KEYS.requestsPerSecond]: 100,
    [FORUM_SETTING_KEYS.maxRetries]: 1,
    [FORUM_SETTING_KEYS.retryBaseMs]: 1,
    [FORUM_SETTING_KEYS.timeoutMs]: 1500,
    [FORUM_SETTING_KEYS.breakerThreshold]: 1000,
    // Also caps how long the forum's Retry-After (30 s on the simulator's throttle page) holds requests.
    [FORUM_SETTING_KEYS.breakerCooldownSeconds]: 1,
    ...settings,
  });
  return {
    merit,
    sim,
    simUrl: url,
    clock,
    admin,
    async close() {
      await merit.destroy();
      await sim.close();
    },
  };
}

/** Inserts users directly (no password hashing). */
export async function makeUsers(merit: TestMerit<Clock>, names: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const r = (await merit.core.db.orm.execute(
      sql`INSERT INTO users (email, username, display_name, referral_code, roles)
          VALUES (${`${name}@forum.test`}, ${name}, ${name}, ${`fref-${name}`}, ARRAY['member']::text[]) RETURNING id`,
    )) as unknown as { rows: Array<{ id: string }> };
    out[name] = r.rows[0].id;
  }
  return out;
}

/** Creates a campaign with quick defaults (1440-minute maturation unless given). */
export async function makeCampaign(
  env: ForumTestEnv<Clock>,
  input: Partial<CampaignInput> & { slug: string },
) {
  return env.merit.composition.forum.catalog.createCampaign(env.admin, {
    name: input.slug,
    startsAt: new Date(env.clock.now().getTime() - 86_400_000).toISOString(),
    ...input,
  });
}

let nextForumId = 5000;

/**
 * A forum member wearing `DESIGN_CODE`, claimed and verified in `campaign` by a new Merit user (or
 * `userId`); the claim's verification code is in the signature only while verifying.
 */
export async function verifiedParticipant(
  env: ForumTestEnv<Clock>,
  campaign: string,
  opts: { name?: string; position?: string; signature?: string | null; userId?: string } = {},
) {
  const forumUserId = nextForumId++;
  const name = opts.name ?? `member${forumUserId}`;
  env.sim.addMember({
    id: forumUserId,
    name,
    position: opts.position ?? "Full Member",
    signature: opts.signature ?? DESIGN_CODE,
  });
  const userId = opts.userId ?? (await makeUsers(env.merit, [`u${forumUserId}`]))[`u${forumUserId}`];
  const actor = memberActor(userId);
  const forum = env.merit.composition.forum;
  const design = await designFor(env);
  const { id, verificationCode } = await forum.profiles.claim(actor, {
    site: "bitcointalk",
    forumUser: String(forumUserId),
    campaign,
  });
  await forum.profiles.chooseSignature(actor, id, design);
  // The claim's code is worn for the first verification only; the member then takes it off again.
  const worn = opts.signature ?? DESIGN_CODE;
  env.sim.updateMember(forumUserId, { signature: `${worn} ${verificationCode}` });
  await forum.profiles.verify(actor, id);
  env.sim.updateMember(forumUserId, { signature: worn });
  return { profileId: id, userId, actor, forumUserId };
}

let designCache = new WeakMap<TestMerit<Clock>, string>();

/** The signature design every test participant wears (created once per app). */
export async function designFor(env: ForumTestEnv<Clock>): Promise<string> {
  const cached = designCache.get(env.merit);
  if (cached) return cached;
  const sig = await env.merit.composition.forum.catalog.createSignature(env.admin, {
    name: "Test design",
    code: DESIGN_CODE,
    allowedRanks: ["Member", "Full Member", "Sr. Member", "Hero Member", "Legendary"],
  });
  designCache.set(env.merit, sig.id);
  return sig.id;
}

/** Resets the design cache (each test file builds its own app). */
export function resetDesignCache(): void {
  designCache = new WeakMap();
}

export const MINUTE = 60_000;
