// What a feature module hands the composition root. Modules get their dependencies passed in
// explicitly by src/modules/index.ts; this interface is only how the server mounts them.
import type { Config } from "../config.ts";
import type { ChangeFeed } from "./changes.ts";
import type { Clock } from "./clock.ts";
import type { Database } from "./db/client.ts";
import type { App } from "./http/app.ts";
import type { Metrics } from "./http/metrics.ts";
import type { JobRegistry } from "./jobs/job-registry.ts";
import type { JobQueue } from "./jobs/job-runner.ts";
import type { Logger } from "./logger.ts";

/** Shared plumbing every module may use; business services are passed between modules explicitly. */
export interface CoreContext {
  config: Readonly<Config>;
  logger: Logger;
  db: Database;
  clock: Clock;
  jobs: JobQueue;
  registry: JobRegistry;
  metrics: Metrics;
  /** Change signals for in-process caches, across processes through the database. */
  changes: ChangeFeed;
}

export interface MeritModule {
  name: string;
  /** Registers HTTP routes. */
  routes?: (app: App) => Promise<void>;
  /** Adds demo data to a new database (idempotent). */
  seedDemo?: () => Promise<void>;
  /** Demo data that reads what every module's seedDemo wrote (e.g. past snapshots of the boards). */
  seedDemoAfter?: () => Promise<void>;
  /** Starts background activity that is not a job (only in processes that run workers). */
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
}

/** Seeds the demo data set: every module's seedDemo in order, then every seedDemoAfter. */
export async function seedDemoData(
  modules: readonly MeritModule[],
  progress: (module: string) => void = () => {},
): Promise<void> {
  for (const m of modules) {
    progress(m.name);
    await m.seedDemo?.();
  }
  for (const m of modules) await m.seedDemoAfter?.();
}
