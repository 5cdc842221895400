// Wires the points feature: catalog, contributions + ledger, leaderboards, campaigns, snapshots, live events.
import type { CoreContext, MeritModule } from "../../core/module.ts";
import type { AccountEraser } from "../accounts/account-erasers.ts";
import type { SettingsService } from "../settings/settings.service.ts";
import { createBoardNames } from "./boards.ts";
import { campaignsRoutes } from "./campaigns.routes.ts";
import { createCampaignsService } from "./campaigns.service.ts";
import { catalogRoutes } from "./catalog.routes.ts";
import { createCatalogService } from "./catalog.service.ts";
import { createContributionQueries } from "./contribution-queries.service.ts";
import { forgetContributionDetails } from "./contributions.repo.ts";
import { contributionsRoutes } from "./contributions.routes.ts";
import { createContributionsService } from "./contributions.service.ts";
import { leaderboardRoutes } from "./leaderboard.routes.ts";
import { createLeaderboardService } from "./leaderboard.service.ts";
import { createLedgerService } from "./ledger.service.ts";
import { createParticipantsService } from "./participants.service.ts";
import { seedDemoPoints, seedRankHistory } from "./points.seed.ts";
import { createPointsEvents } from "./points-events.ts";
import { forgetSnapshotNames } from "./snapshots.repo.ts";
import { createSnapshotsService, defineSnapshotJobs } from "./snapshots.service.ts";

const FOLD_EVERY_MS = 2_000;

/** Builds the points services and the module the server mounts. */
export function pointsModule(core: CoreContext, deps: { settings: SettingsService }) {
  const events = createPointsEvents();
  const base = { db: core.db, clock: core.clock, events, changes: core.changes };
  const boards = createBoardNames(core.db);
  const catalog = createCatalogService(base);
  const contributions = createContributionsService({ ...base, boards });
  const queries = createContributionQueries({ ...base, boards });
  const campaigns = createCampaignsService(base);
  const leaderboard = createLeaderboardService({ ...base, boards, campaigns });
  const snapshots = createSnapshotsService({ ...base, boards, settings: deps.settings, campaigns });
  const participants = createParticipantsService({ ...base, boards });
  const ledger = createLedgerService(base);
  defineSnapshotJobs(core.registry, snapshots, core.logger);
  let folding: NodeJS.Timeout | null = null;
  let folded: Promise<void> = Promise.resolve();

  const services = {
    catalog,
    contributions,
    queries,
    campaigns,
    leaderboard,
    snapshots,
    participants,
    ledger,
    events,
    /**
     * The account eraser of this module: frozen snapshots keep a deleted account's anonymous name
     * only, and its contributions lose their evidence and notes (points and ledger stay).
     */
    forgetParticipant: (async (tx, deleted) => {
      await forgetSnapshotNames(tx, deleted);
      await forgetContributionDetails(tx, deleted.userId);
    }) satisfies AccountEraser,
  };
  const module: MeritModule = {
    name: "points",
    routes: async (app) => {
      await app.register(catalogRoutes(catalog));
      await app.register(contributionsRoutes(contributions, queries));
      await app.register(leaderboardRoutes(leaderboard, snapshots, events));
      await app.register(campaignsRoutes(campaigns, participants));
      // Every process (all roles register routes, role api too, where module.start is not called)
      // listens for other processes' awards, for its SSE clients and its board caches.
      await events.start(core.config.databaseUrl, core.logger);
      app.addHook("onClose", () => events.stop());
    },
    seedDemo: () => seedDemoPoints(core, services),
    // After the other modules' demo data (the forum's credited posts), so the history holds them too.
    seedDemoAfter: () => seedRankHistory(core, services),
    // Processes that run workers fold pending band deltas into the histogram every few seconds, and
    // delete week and month totals that have aged out (after a rollover).
    start: async () => {
      let running = false;
      folding = setInterval(() => {
        if (running) return;
        running = true;
        folded = ledger
          .foldBands()
          .then(() => ledger.pruneBuckets())
          .then(() => undefined)
          .catch((err) => core.logger.warn({ err }, "folding band deltas failed; will retry"))
          .finally(() => {
            running = false;
          });
      }, FOLD_EVERY_MS);
      folding.unref();
    },
    stop: async () => {
      if (folding) clearInterval(folding);
      await folded;
      await events.stop();
    },
  };
  return { module, ...services };
}

export type PointsModule = ReturnType<typeof pointsModule>;
export type PointsServices = Omit<PointsModule, "module">;
