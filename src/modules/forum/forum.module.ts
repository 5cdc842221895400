// Wires the forum feature: scraper, profiles, tracking, scheduler, admin, standings, jobs, metrics,
// and the demo simulator when no real forum is configured.
import type { CoreContext, MeritModule } from "../../core/module.ts";
import type { SettingsService } from "../settings/settings.service.ts";
import { registerForumJobs } from "./forum.jobs.ts";
import { registerForumMetrics } from "./forum.metrics.ts";
import { forumRoutes } from "./forum.routes.ts";
import { defineForumSettings, readScraperSettings } from "./forum.settings.ts";
import { forumAdminRoutes } from "./forum-admin.routes.ts";
import { createForumAdminService } from "./forum-admin.service.ts";
import { createForumCatalogService } from "./forum-catalog.service.ts";
import { createDailyService } from "./forum-daily.service.ts";
import { DEMO_FORUM_PATH, demoForumRoutes } from "./forum-demo.routes.ts";
import { type DemoForum, seedForumDemo, startDemoForum } from "./forum-demo.ts";
import { nullPointsSink, type PointsSink } from "./forum-points.ts";
import { createProfilesService } from "./forum-profiles.service.ts";
import { createSchedulerService } from "./forum-scheduler.service.ts";
import { createStandingsService } from "./forum-standings.service.ts";
import { createTrackingService } from "./forum-tracking.service.ts";
import { createBitcointalkSite } from "./scraper/bitcointalk-site.ts";
import { createForumClient } from "./scraper/forum-client.ts";

const TICK_MS = 5_000;
const BITCOINTALK_URL = "https://bitcointalk.org";

/** Builds the forum services and the module the server mounts. */
export function forumModule(core: CoreContext, deps: { settings: SettingsService; points?: PointsSink }) {
  const { db, clock, logger, config } = core;
  defineForumSettings(deps.settings);
  const demoMode = config.seedDemo && config.bitcointalkUrl === null;
  let demo: DemoForum | null = null;
  let sink: PointsSink = deps.points ?? nullPointsSink;

  // Links people follow (post and profile links, award evidence): the forum itself, or in demo mode
  // the simulator as this server serves it (its own port is loopback only).
  const publicAddress = demoMode
    ? `${config.publicUrl.replace(/\/+$/, "")}${DEMO_FORUM_PATH}`
    : BITCOINTALK_URL;
  const client = createForumClient({ db, clock, logger, settings: () => readScraperSettings(deps.settings) });
  const bitcointalk = createBitcointalkSite(
    client,
    () => config.bitcointalkUrl ?? demo?.url ?? BITCOINTALK_URL,
    publicAddress,
  );
  const site = (siteId: string) => {
    if (siteId !== "bitcointalk") throw new Error(`No scraper for forum site "${siteId}"`);
    return bitcointalk;
  };
  const getSink = () => sink;
  // The sites list gives the web the same public address the award evidence uses.
  const linkBase = (siteId: string) => (siteId === "bitcointalk" ? bitcointalk.linkBase : null);
  const catalog = createForumCatalogService({ db, clock, sink: getSink, linkBase });
  const profiles = createProfilesService({ db, clock, site });
  const tracking = createTrackingService({ db, clock, logger, site, sink: getSink });
  const scheduler = createSchedulerService({
    db,
    clock,
    logger,
    jobs: core.jobs,
    tracking,
    requestsPerSecond: async () => (await readScraperSettings(deps.settings)).requestsPerSecond,
  });
  const admin = createForumAdminService({ db, clock, catalog, tracking, scheduler, sink: getSink });
  const standings = createStandingsService({ db, clock, catalog });
  const daily = createDailyService({ db, clock, catalog });
  registerForumJobs(core.registry, { scheduler, tracking });
  registerForumMetrics(core.metrics, { db, clock, scheduler });

  let timer: NodeJS.Timeout | null = null;
  const module: MeritModule = {
    name: "forum",
    routes: async (app) => {
      await app.register(forumRoutes({ catalog, profiles, standings, daily }));
      await app.register(forumAdminRoutes({ catalog, admin, daily }));
      if (demoMode) await app.register(demoForumRoutes(() => demo?.url ?? null));
    },
    seedDemo: () => seedForumDemo(core, { catalog, sink: getSink, site }),
    start: async () => {
      if (demoMode) {
        demo = await startDemoForum(core);
        logger.info(
          { url: demo.url },
          "DEMO MODE: forum simulator started (set BITCOINTALK_URL for a real forum)",
        );
      }
      // Sub-minute rounds: claims are atomic in the database, so every worker may tick.
      timer = setInterval(() => {
        scheduler.tick("jobs").catch((err: unknown) => logger.error({ err }, "forum scheduler tick failed"));
      }, TICK_MS);
      timer.unref();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      timer = null;
      if (demo) {
        demo.activity.stop();
        await demo.sim.close();
        demo = null;
      }
    },
  };
  return {
    module,
    catalog,
    profiles,
    tracking,
    scheduler,
    admin,
    standings,
    /** Connects the points ledger (done by the composition root once points exist). */
    setPointsSink(next: PointsSink) {
      sink = next;
    },
  };
}

export type ForumModule = ReturnType<typeof forumModule>;
