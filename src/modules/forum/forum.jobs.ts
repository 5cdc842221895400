// Background jobs of the forum feature: the per-minute tick (pg-boss schedule, one worker runs it)
// that claims due rounds, and the per-profile check enqueued by a round.
import type { JobRegistry } from "../../core/jobs/job-registry.ts";
import { CHECK_PROFILE_JOB, type SchedulerService, TICK_JOB } from "./forum-scheduler.service.ts";
import type { TrackingService } from "./forum-tracking.service.ts";

/** Registers the forum jobs and the tick schedule. */
export function registerForumJobs(
  registry: JobRegistry,
  deps: { scheduler: SchedulerService; tracking: TrackingService },
) {
  registry.define<Record<string, never>>({
    name: TICK_JOB,
    retryLimit: 0,
    expireInSeconds: 300,
    handler: async () => {
      await deps.scheduler.tick("jobs");
    },
  });
  registry.define<{ profileId: string }>({
    name: CHECK_PROFILE_JOB,
    // A failed check is simply retried by the next round; no pile-up of retries.
    retryLimit: 1,
    retryDelay: 30,
    expireInSeconds: 15 * 60,
    concurrency: 2,
    handler: async (data, job) => {
      await deps.tracking.checkProfile(data.profileId, job.signal);
    },
  });
  registry.schedule({ name: TICK_JOB, cron: "* * * * *" });
}
