// Boots Merit: config -> database -> migrations -> modules -> jobs -> HTTP. Used by the CLI and by tests.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Config, loadConfig } from "./config.ts";
import { createChangeFeed } from "./core/changes.ts";
import { type Clock, systemClock } from "./core/clock.ts";
import { type Database, openDatabase } from "./core/db/client.ts";
import { migrate } from "./core/db/migrate.ts";
import { type App, createHttpApp } from "./core/http/app.ts";
import { createMetrics } from "./core/http/metrics.ts";
import { JobRegistry } from "./core/jobs/job-registry.ts";
import { createJobRunner, type JobRunner, type ProcessRole } from "./core/jobs/job-runner.ts";
import { createLogger, type Logger } from "./core/logger.ts";
import { type CoreContext, seedDemoData } from "./core/module.ts";
import { ensureAdmin } from "./modules/accounts/accounts.service.ts";
import { API_TAGS, type Composition, composeModules } from "./modules/index.ts";
import { systemRoutes } from "./modules/system/system.routes.ts";

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const WEB_BUILD_DIR = path.join(ROOT_DIR, "web", "build");
export const VERSION: string = JSON.parse(readFileSync(path.join(ROOT_DIR, "package.json"), "utf8")).version;

export interface MeritOptions {
  config: Readonly<Config>;
  role?: ProcessRole;
  clock?: Clock;
  logger?: Logger;
  /** An already-open database (tests pass a clone of the migrated template). */
  db?: Database;
  pollingIntervalSeconds?: number;
  /** Start job workers and module background activity (default true). */
  startJobs?: boolean;
}

export interface Merit {
  config: Readonly<Config>;
  core: CoreContext;
  app: App;
  jobs: JobRunner;
  composition: Composition;
  /** Stops HTTP, lets running jobs finish, closes the database. Safe to call twice. */
  close(): Promise<void>;
}

/** Builds a fully wired Merit instance (not yet listening). */
export async function createMerit(opts: MeritOptions): Promise<Merit> {
  const { config } = opts;
  const role = opts.role ?? "all";
  const logger = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const db = opts.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const changes = createChangeFeed();
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ applied }, "applied database migrations");

    const registry = new JobRegistry();
    const jobs = createJobRunner({
      db,
      registry,
      logger,
      role,
      pollingIntervalSeconds: opts.pollingIntervalSeconds,
    });
    const metrics = createMetrics({ poolStats: () => db.poolStats(), jobCounts: () => jobs.counts() });
    await changes.start(db, logger);
    const core: CoreContext = { config, logger, db, clock, jobs, registry, metrics, changes };
    const composition = composeModules(core);

    const startedAt = clock.now();
    const app = await createHttpApp({
      config,
      logger,
      metrics,
      version: VERSION,
      webDir: WEB_BUILD_DIR,
      authenticate: composition.authenticate,
      tags: API_TAGS,
    });
    await app.register(
      systemRoutes({
        db,
        clock,
        metrics,
        jobs,
        version: VERSION,
        startedAt,
        countUsers: composition.countUsers,
      }),
    );
    for (const m of composition.modules) if (m.routes) await app.register(m.routes);

    if (config.adminEmail && config.adminPassword) {
      const r = await ensureAdmin({ db, clock }, config.adminEmail, config.adminPassword);
      logger.info({ email: config.adminEmail, result: r }, "ensured the admin account from ADMIN_EMAIL");
    }
    if (config.seedDemo && (await composition.countUsers()) === 0) {
      await seedDemoData(composition.modules);
      logger.info("seeded demo data into the new database");
    }

    const runsWorkers = opts.startJobs !== false;
    if (runsWorkers) {
      await jobs.start();
      if (role !== "api") for (const m of composition.modules) await m.start?.();
    }
    await app.ready();

    let closing: Promise<void> | null = null;
    const close = () => {
      closing ??= (async () => {
        await app.close();
        // Job handlers first, while everything they use (the demo forum, event feeds) is still up.
        await jobs.stop();
        for (const m of composition.modules)
          await m.stop?.().catch((err) => logger.error({ err }, "module stop"));
        await changes.stop();
        if (!opts.db) await db.close();
      })();
      return closing;
    };
    return { config, core, app, jobs, composition, close };
  } catch (err) {
    await changes.stop();
    if (!opts.db) await db.close();
    throw err;
  }
}

/** Starts a listening server from environment-like variables (used by browser tests). */
export async function startMerit(options: { env?: Record<string, string | undefined>; clock?: Clock } = {}) {
  const config = loadConfig({ ...process.env, ...options.env });
  const merit = await createMerit({ config, clock: options.clock, pollingIntervalSeconds: 0.5 });
  const address = await merit.app.listen({ port: config.port, host: "127.0.0.1" });
  return { url: address, merit, stop: () => merit.close() };
}
