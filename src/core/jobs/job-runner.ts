// pg-boss on both backends. The same Database adapter feeds it, so on PGlite the queue lives in the
// embedded database and on PostgreSQL several processes share it.
import PgBoss from "pg-boss";
import { type Database, sql, type Tx } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import type { JobRegistry } from "./job-registry.ts";

export type ProcessRole = "all" | "api" | "worker";

export interface SendOptions {
  startAfter?: Date | number;
  singletonKey?: string;
  /** Enqueue inside this transaction, so the job exists only if the transaction commits. */
  tx?: Tx;
}

export interface JobQueue {
  send(name: string, data: object, options?: SendOptions): Promise<string | null>;
}

export interface JobRunner extends JobQueue {
  start(): Promise<void>;
  /**
   * Stops fetching, signals running handlers to give up (JobContext.signal) and waits up to
   * timeoutMs for them. pg-boss marks a job whose handler outlives the wait as failed, so it is
   * retried later; nothing is lost, and the pool can close safely.
   */
  stop(timeoutMs?: number): Promise<void>;
  counts(): Promise<Array<{ name: string; state: string; count: number }>>;
}

export interface JobRunnerOptions {
  db: Database;
  registry: JobRegistry;
  logger: Logger;
  role: ProcessRole;
  /** Seconds between polls for new jobs (tests use the minimum, 0.5). */
  pollingIntervalSeconds?: number;
}

/** Creates the job runner; `start` validates the registry and starts workers for the role. */
export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const { db, registry, logger, role } = opts;
  const isWorker = role !== "api";
  let shutdown = new AbortController();
  // After stop, pg-boss bookkeeping of a straggling handler (complete/fail) must not reach a pool
  // that the process is closing: it would surface as an unhandled rejection inside pg-boss.
  let detached = false;
  const boss = new PgBoss({
    db: {
      executeSql: async (text: string, values: unknown[]) => {
        // Reports "nothing changed" in the shape pg-boss's complete/fail read (affected = count).
        if (detached) return { rows: [{ count: 0 }] };
        return db.executeSql(text, values);
      },
    },
    schema: "pgboss",
    supervise: isWorker,
    schedule: isWorker,
    migrate: true,
  });
  boss.on("error", (err: Error) => logger.error({ err }, "job queue error"));
  let started = false;

  return {
    async start() {
      registry.assertComplete();
      shutdown = new AbortController();
      detached = false;
      await boss.start();
      started = true;
      for (const def of registry.all()) {
        const queue = {
          name: def.name,
          retryLimit: def.retryLimit ?? 5,
          retryDelay: def.retryDelay ?? 10,
          retryBackoff: def.retryBackoff ?? true,
          expireInSeconds: def.expireInSeconds ?? 15 * 60,
        };
        await boss.createQueue(def.name, queue);
        await boss.updateQueue(def.name, queue);
      }
      if (!isWorker) return;
      for (const s of registry.allSchedules()) {
        await boss.schedule(s.name, s.cron, s.data ?? {}, { tz: "UTC" });
      }
      for (const def of registry.all()) {
        const handle = async (jobs: PgBoss.JobWithMetadata[]) => {
          for (const job of jobs) {
            const ctx = { id: job.id, name: def.name, retryCount: job.retryCount, signal: shutdown.signal };
            try {
              await def.handler(job.data, ctx);
            } catch (err) {
              const { signal, ...about } = ctx;
              if (signal.aborted) logger.info({ job: about }, "job interrupted by shutdown; it is retried");
              else logger.warn({ err, job: about }, "job failed; pg-boss retries it while retries remain");
              throw err;
            }
          }
        };
        const workOptions = {
          batchSize: 1,
          includeMetadata: true as const,
          pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2,
        };
        // Several fetch loops in one process for queues that ask for parallelism.
        for (let i = 0; i < (def.concurrency ?? 1); i++) await boss.work(def.name, workOptions, handle);
      }
    },

    async send(name, data, options = {}) {
      if (!registry.get(name)) throw new Error(`No handler is registered for job "${name}"`);
      const sendOpts: Record<string, unknown> = {};
      if (options.startAfter !== undefined) sendOpts.startAfter = options.startAfter;
      if (options.singletonKey) sendOpts.singletonKey = options.singletonKey;
      if (options.tx) sendOpts.db = { executeSql: txExecutor(options.tx) };
      return boss.send(name, data, sendOpts);
    },

    async stop(timeoutMs = 10_000) {
      if (!started) return;
      started = false;
      shutdown.abort(new Error("the process is shutting down"));
      // Waits for running handlers up to the timeout, then marks the stragglers failed (retried).
      await boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs });
      detached = true;
    },

    async counts() {
      const r = await db.query<{ name: string; state: string; count: string }>(
        "SELECT name, state::text AS state, count(*)::text AS count FROM pgboss.job GROUP BY name, state",
      );
      return r.map((x) => ({ name: x.name, state: x.state, count: Number(x.count) }));
    },
  };
}

/** Adapts a drizzle transaction to pg-boss's executeSql so a job is enqueued atomically with the caller's writes. */
function txExecutor(tx: Tx) {
  return async (text: string, values: unknown[] = []) => {
    const chunks = text.split(/\$(\d+)/);
    // drizzle drops undefined parameters entirely, so pg-boss's unset options must become NULL.
    const parts = chunks.map((chunk, i) =>
      i % 2 === 0 ? sql.raw(chunk) : sql`${values[Number(chunk) - 1] ?? null}`,
    );
    const r = (await tx.execute(sql.join(parts))) as unknown as { rows: unknown[] };
    return { rows: r.rows };
  };
}
