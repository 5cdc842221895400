// Builds a fully wired Merit on a fresh clone of the template database, for integration tests
// through app.inject().
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { type Clock, ManualClock } from "../../src/core/clock.ts";
import { createMerit, type Merit } from "../../src/server.ts";
import { cloneTemplate } from "./template-db.ts";

export interface TestMerit<C extends Clock = ManualClock> extends Merit {
  clock: C;
  /** Closes the app and drops the database clone. */
  destroy(): Promise<void>;
}

export interface TestMeritOptions<C extends Clock = ManualClock> {
  env?: Record<string, string>;
  /**
   * A `ManualClock` by default. Tests driven by real job workers (pg-boss schedules and polling
   * follow wall time) pass `systemClock` instead.
   */
  clock?: C;
  /** Start job workers (polling every 0.5 s). Off by default: most tests call services directly. */
  startJobs?: boolean;
}

/** A Merit instance on its own database clone. */
export function createTestMerit(opts?: TestMeritOptions): Promise<TestMerit>;
export function createTestMerit<C extends Clock>(
  opts: TestMeritOptions<C> & { clock: C },
): Promise<TestMerit<C>>;
export async function createTestMerit(opts: TestMeritOptions<Clock> = {}): Promise<TestMerit<Clock>> {
  const { db, drop } = await cloneTemplate(inject("templateDb"));
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "merit-test-")),
    SEED_DEMO: "false",
    SECRET_KEY: "test-secret-key-that-is-long-enough-0123456789",
    PUBLIC_URL: "http://merit.test",
    // Tests simulate clients by X-Forwarded-For (see accounts.test-support.ts) from inject's loopback peer.
    TRUST_PROXY: "loopback",
    ...opts.env,
  });
  const clock = opts.clock ?? new ManualClock();
  const merit = await createMerit({
    config,
    db,
    clock,
    startJobs: opts.startJobs ?? false,
    pollingIntervalSeconds: 0.5,
  });
  return {
    ...merit,
    clock,
    async destroy() {
      await merit.close();
      await drop();
    },
  };
}
