// /metrics gauges of forum scraping coverage per live campaign.
import { Gauge } from "prom-client";
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import type { Metrics } from "../../core/http/metrics.ts";
import { listLiveCampaigns } from "./forum-scheduler.repo.ts";
import type { SchedulerService } from "./forum-scheduler.service.ts";

/** Registers coverage gauges computed from the database at scrape time. */
export function registerForumMetrics(
  metrics: Metrics,
  deps: { db: Database; clock: Clock; scheduler: SchedulerService },
) {
  const registers = [metrics.registry];
  // The first gauge's collect fills all four, once per scrape of /metrics.
  const gauges = {
    profiles: new Gauge({
      name: "merit_forum_profiles",
      help: "Forum profiles by campaign and state",
      labelNames: ["campaign", "state"],
      registers,
      collect: () => collect(),
    }),
    gap: new Gauge({
      name: "merit_forum_check_gap_seconds",
      help: "Largest gap between two successful checks (max) and oldest last check (current) among profiles with maturing posts",
      labelNames: ["campaign", "stat"],
      registers,
    }),
    budget: new Gauge({
      name: "merit_forum_round_requests",
      help: "Request budget and need of the last planned round",
      labelNames: ["campaign", "kind"],
      registers,
    }),
    tooSmall: new Gauge({
      name: "merit_forum_budget_too_small",
      help: "1 when the last round could not cover every maturing profile",
      labelNames: ["campaign"],
      registers,
    }),
  };
  async function collect() {
    for (const g of Object.values(gauges)) g.reset();
    for (const c of await listLiveCampaigns(deps.db.orm, deps.clock.now())) {
      const cov = await deps.scheduler.coverage(c.slug);
      if (!cov) continue;
      gauges.profiles.set({ campaign: c.slug, state: "verified" }, cov.verifiedProfiles);
      gauges.profiles.set({ campaign: c.slug, state: "maturing" }, cov.maturingProfiles);
      gauges.gap.set({ campaign: c.slug, stat: "max" }, cov.maxGapSecondsMaturing);
      gauges.gap.set({ campaign: c.slug, stat: "current" }, cov.oldestCheckSecondsMaturing);
      gauges.budget.set({ campaign: c.slug, kind: "budget" }, cov.lastPlan?.budget ?? 0);
      gauges.budget.set({ campaign: c.slug, kind: "needed" }, cov.lastPlan?.needed ?? 0);
      gauges.tooSmall.set({ campaign: c.slug }, cov.budgetTooSmall ? 1 : 0);
    }
  }
}
