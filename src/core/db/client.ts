// Chooses the database by config: embedded PGlite in DATA_DIR, or PostgreSQL through node-postgres.
// Everything above this file speaks one dialect (PostgreSQL) and one interface (Database).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";

export type Orm = PgDatabase<PgQueryResultHKT>;
/** A drizzle handle: the database itself or an open transaction. */
export type Tx = Orm;

export type DatabaseKind = "embedded" | "postgresql";

/** Low-level SQL access used by the migrator and the job queue adapter. */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs multi-statement text without parameters. */
  exec(text: string): Promise<void>;
}

export interface Database extends SqlSession {
  kind: DatabaseKind;
  orm: Orm;
  /** The embedded instance (embedded kind only): data-dir dumps for test templates. */
  pglite?: PGlite;
  /** Runs fn in one transaction; inside it use only `tx` (on PGlite other handles wait for the transaction). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs fn on one dedicated connection (session-level locks). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs a hot statement whose text never changes (only its parameters do) as a named prepared
   * statement, so PostgreSQL plans it once per connection instead of on every call. PGlite (one
   * connection, no pool) runs it as a plain query. Outside transactions only.
   */
  named<T>(name: string, query: SQL): Promise<T[]>;
  /** pg-boss's `db` adapter; multi-statement text without parameters goes through exec. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  poolStats(): { total: number; idle: number; waiting: number };
  /**
   * Calls onNotify with each NOTIFY payload on channel (committed transactions only, any process).
   * Resolves once listening; the returned function stops it. PostgreSQL uses one extra connection.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;
/** Renders drizzle SQL to text and parameters for named statements. */
const dialect = new PgDialect();

export interface OpenDatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** A PGlite data dir dump to start from (test clones of a migrated template). */
  loadDataDir?: Blob | File;
  /** Use an in-memory PGlite instead of DATA_DIR (tests). */
  inMemory?: boolean;
  poolSize?: number;
}

/** Opens the database chosen by config. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : openPglite(opts);
}

async function openPglite(opts: OpenDatabaseOptions): Promise<Database> {
  let dataDir: string | undefined;
  if (!opts.inMemory) {
    dataDir = path.join(opts.dataDir, "pglite");
    mkdirSync(dataDir, { recursive: true });
  }
  const client = new PGlite({ dataDir, loadDataDir: opts.loadDataDir });
  await client.waitReady;
  const orm = drizzlePglite(client) as unknown as Orm;
  let closed = false;
  let sessionQueue: Promise<unknown> = Promise.resolve();
  const session: SqlSession = {
    async query<T>(text: string, params: unknown[] = []) {
      const r = await client.query<T>(text, params);
      return r.rows;
    },
    async exec(text: string) {
      await client.exec(text);
    },
  };
  return {
    kind: "embedded",
    orm,
    pglite: client,
    ...session,
    transaction: (fn) => orm.transaction((tx) => fn(tx as unknown as Tx)),
    named: (_name, query) => rows(orm, query),
    // One connection serves everyone, and session-level advisory locks are re-entrant on it, so
    // sessions are serialised here to keep "one session at a time" true inside this process.
    withSession(fn) {
      const run = sessionQueue.then(() => fn(session));
      sessionQueue = run.catch(() => undefined);
      return run;
    },
    async executeSql(text, values) {
      if (!values || values.length === 0) {
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const r = await client.query(text, values);
      return { rows: r.rows };
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async listen(channel, onNotify) {
      if (!CHANNEL_NAME.test(channel)) throw new Error(`invalid channel name ${channel}`);
      const stop = await client.listen(channel, onNotify);
      return async () => {
        if (!closed) await stop();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection that the server drops (restart, failover, pg_terminate_backend) is removed
  // from the pool and replaced on the next query; without this listener it would crash the process.
  pool.on("error", () => undefined);
  // Fail fast with a clear message rather than on the first request.
  const probe = await pool.connect();
  probe.release();
  const orm = drizzleNodePg(pool) as unknown as Orm;
  let closed = false;
  const sessionOf = (c: pg.Pool | pg.PoolClient): SqlSession => ({
    async query<T>(text: string, params: unknown[] = []) {
      const r = await c.query(text, params);
      return r.rows as T[];
    },
    async exec(text: string) {
      await c.query(text);
    },
  });
  return {
    kind: "postgresql",
    orm,
    ...sessionOf(pool),
    transaction: (fn) => orm.transaction((tx) => fn(tx as unknown as Tx)),
    async named<T>(name: string, query: SQL) {
      const q = dialect.sqlToQuery(query);
      const r = await pool.query({ name, text: q.sql, values: q.params as unknown[] });
      return r.rows as T[];
    },
    async withSession(fn) {
      const c = await pool.connect();
      try {
        return await fn(sessionOf(c));
      } finally {
        c.release();
      }
    },
    async executeSql(text, values) {
      const r = await pool.query(text, values as unknown[] | undefined);
      // A multi-statement simple query returns one result per statement.
      const last = Array.isArray(r) ? (r.at(-1) as pg.QueryResult) : r;
      return { rows: last?.rows ?? [] };
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async listen(channel, onNotify) {
      if (!CHANNEL_NAME.test(channel)) throw new Error(`invalid channel name ${channel}`);
      const c = new pg.Client({ connectionString: url });
      // A dropped listener connection must not crash the process; its owner decides what to do.
      c.on("error", () => undefined);
      c.on("notification", (msg) => {
        if (msg.channel === channel) onNotify(msg.payload ?? "");
      });
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      return () => c.end().catch(() => undefined);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** Runs a drizzle SQL fragment and returns its rows, on either driver. */
export async function rows<T>(db: Tx, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

/** Runs a drizzle SQL fragment and returns its first row or null. */
export async function firstRow<T>(db: Tx, query: SQL): Promise<T | null> {
  const r = await rows<T>(db, query);
  return r[0] ?? null;
}

export { sql };

/** ILIKE pattern matching `text` anywhere, its own %, _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Whether `err` (or an error it wraps, as drizzle does) is PostgreSQL's unique violation (23505). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return true;
  }
  return false;
}
