import { sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";

/** Counts a hit in the fixed window [windowStart, windowStart + window); starts a new window after it. */
export async function hitCounter(
  db: Tx,
  key: string,
  now: Date,
  windowCutoff: Date,
): Promise<{ hits: number; window_start: Date }> {
  const row = await firstRow<{ hits: number; window_start: Date }>(
    db,
    sql`INSERT INTO rate_limit_counters AS c (key, hits, window_start) VALUES (${key}, 1, ${now.toISOString()})
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN c.window_start <= ${windowCutoff.toISOString()}::timestamptz THEN 1 ELSE c.hits + 1 END,
          window_start = CASE WHEN c.window_start <= ${windowCutoff.toISOString()}::timestamptz
            THEN ${now.toISOString()}::timestamptz ELSE c.window_start END
        RETURNING hits, window_start`,
  );
  return row!;
}

/** The latest lock end among the keys, if any is locked at `now`. */
export async function lockedUntil(db: Tx, keys: string[], now: Date): Promise<Date | null> {
  if (keys.length === 0) return null;
  const r = await rows<{ locked_until: Date }>(
    db,
    sql`SELECT locked_until FROM auth_lockouts
        WHERE key IN (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )}) AND locked_until > ${now.toISOString()}::timestamptz
        ORDER BY locked_until DESC LIMIT 1`,
  );
  return r[0] ? new Date(r[0].locked_until) : null;
}

/** Counts a consecutive failure (restarting the count after `resetCutoff`); returns the new count. */
export async function addFailure(db: Tx, key: string, now: Date, resetCutoff: Date): Promise<number> {
  const row = await firstRow<{ failures: number }>(
    db,
    sql`INSERT INTO auth_lockouts AS l (key, failures, last_failure_at) VALUES (${key}, 1, ${now.toISOString()})
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN l.last_failure_at <= ${resetCutoff.toISOString()}::timestamptz THEN 1 ELSE l.failures + 1 END,
          last_failure_at = EXCLUDED.last_failure_at
        RETURNING failures`,
  );
  return row!.failures;
}

export async function setLock(db: Tx, key: string, until: Date): Promise<void> {
  await db.execute(sql`UPDATE auth_lockouts SET locked_until = ${until.toISOString()} WHERE key = ${key}`);
}

export async function clearFailures(db: Tx, key: string): Promise<void> {
  await db.execute(sql`DELETE FROM auth_lockouts WHERE key = ${key}`);
}
