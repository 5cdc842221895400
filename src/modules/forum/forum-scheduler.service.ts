// Scrape rounds: every scrapeIntervalSeconds a campaign's round is claimed by exactly one worker
// (row update in the database), planned under the request budget and run, either inline or as
// `forum.check-profile` jobs spread over workers. Coverage (how often each profile was really
// checked) is reported to admins and as /metrics gauges.
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import type { JobQueue } from "../../core/jobs/job-runner.ts";
import type { Logger } from "../../core/logger.ts";
import * as catalog from "./forum-catalog.repo.ts";
import { planRound, type RoundPlan } from "./forum-scheduler.plan.ts";
import * as repo from "./forum-scheduler.repo.ts";
import type { CheckResult, TrackingService } from "./forum-tracking.service.ts";
import { isoOf } from "./forum-views.ts";

export const CHECK_PROFILE_JOB = "forum.check-profile";
export const TICK_JOB = "forum.tick";

export interface SchedulerDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  jobs: JobQueue;
  tracking: TrackingService;
  requestsPerSecond: () => Promise<number>;
}

/** Builds the scheduler. */
export function createSchedulerService(deps: SchedulerDeps) {
  const { db, clock, logger } = deps;

  async function plan(campaign: catalog.CampaignRow): Promise<RoundPlan> {
    const now = clock.now().getTime();
    const candidates = (await repo.listCandidates(db.orm, campaign.id)).map((r) => ({
      id: r.id,
      pending: r.pending,
      nextMaturesAt: r.next_matures_at ? new Date(r.next_matures_at).getTime() : null,
      lastCheckedAt: r.last_attempt_at ? new Date(r.last_attempt_at).getTime() : null,
    }));
    const result = planRound(candidates, {
      now,
      intervalMs: campaign.scrape_interval_seconds * 1000,
      requestsPerSecond: await deps.requestsPerSecond(),
    });
    const { selected, ...summary } = result;
    await repo.storePlan(db.orm, campaign.id, {
      ...summary,
      selected: selected.length,
      at: clock.now().toISOString(),
    });
    if (result.warning) logger.warn({ campaign: campaign.slug, ...summary }, result.warning);
    return result;
  }

  async function runRound(campaign: catalog.CampaignRow, mode: "inline" | "jobs") {
    const p = await plan(campaign);
    const results: CheckResult[] = [];
    for (const id of p.selected) {
      if (mode === "inline") results.push(await deps.tracking.checkProfile(id));
      else await deps.jobs.send(CHECK_PROFILE_JOB, { profileId: id }, { singletonKey: `forum.check:${id}` });
    }
    return { plan: p, results };
  }

  return {
    /** Plans and runs one round of a campaign now, checking profiles in this process (tests, admin). */
    async runRoundNow(slug: string) {
      const c = await catalog.findCampaignBySlug(db.orm, slug);
      if (!c) throw new Error(`No forum campaign "${slug}"`);
      return runRound(c, "inline");
    },

    /** Claims every campaign whose round is due and enqueues its checks; safe on several workers. */
    async tick(mode: "inline" | "jobs" = "jobs") {
      const now = clock.now();
      const ran: string[] = [];
      for (const c of await repo.listLiveCampaigns(db.orm, now)) {
        const claimed = await repo.claimRound(db.orm, c.id, now);
        if (!claimed) continue;
        await runRound(claimed, mode);
        ran.push(c.slug);
      }
      return ran;
    },

    /** How often each profile of a campaign was actually checked, with the last plan and its warning. */
    async coverage(slug: string) {
      const c = await catalog.findCampaignBySlug(db.orm, slug);
      if (!c) return null;
      const now = clock.now().getTime();
      const rowsOf = await repo.coverageRows(db.orm, c.id);
      // The stored plan counts the selected profiles instead of listing them (see plan()).
      const lastPlan = (c.last_plan ?? null) as
        | (Omit<RoundPlan, "selected"> & { selected: number; at: string })
        | null;
      const profiles = rowsOf.map((r) => ({
        id: r.id,
        username: r.forum_username,
        forumUserId: r.forum_user_id,
        status: r.status,
        checks: r.checks,
        lastCheckedAt: isoOf(r.last_success_at),
        lastAttemptAt: isoOf(r.last_attempt_at),
        lastOutcome: r.last_outcome,
        maxGapSeconds: r.max_gap_seconds,
        secondsSinceCheck: r.last_success_at
          ? Math.floor((now - new Date(r.last_success_at).getTime()) / 1000)
          : null,
        pendingPosts: r.pending,
      }));
      const maturing = profiles.filter((p) => p.status === "verified" && p.pendingPosts > 0);
      return {
        campaign: c.slug,
        scrapeIntervalSeconds: c.scrape_interval_seconds,
        requestsPerSecond: await deps.requestsPerSecond(),
        lastRoundAt: isoOf(c.last_round_at),
        nextRoundAt: isoOf(c.next_round_at),
        lastPlan,
        budgetTooSmall: lastPlan?.budgetTooSmall ?? false,
        warning: lastPlan?.warning ?? null,
        verifiedProfiles: profiles.filter((p) => p.status === "verified").length,
        maturingProfiles: maturing.length,
        maxGapSecondsMaturing: maturing.reduce((m, p) => Math.max(m, p.maxGapSeconds), 0),
        oldestCheckSecondsMaturing: maturing.reduce((m, p) => Math.max(m, p.secondsSinceCheck ?? 0), 0),
        profiles,
      };
    },
  };
}

export type SchedulerService = ReturnType<typeof createSchedulerService>;
