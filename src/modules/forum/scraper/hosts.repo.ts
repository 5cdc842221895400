// SQL of the per-host gate shared by every worker process: request slots and the circuit breaker.
import { firstRow, sql, type Tx } from "../../../core/db/client.ts";

/**
 * Reserves the next free request slot for `host`, atomically: concurrent callers (any process) each
 * get a distinct slot at least `gapMs` after the previous one. Times come from the database clock,
 * so processes (and a caller that waited for a pooled connection) never disagree about "now".
 * Returns the slot and how long to wait for it (negative: already due).
 */
export async function reserveSlot(
  db: Tx,
  host: string,
  gapMs: number,
): Promise<{ slot: Date; waitMs: number }> {
  const gap = sql`make_interval(secs => ${gapMs / 1000})`;
  const r = await firstRow<{ slot: Date | string; wait_ms: string | number }>(
    db,
    sql`INSERT INTO forum_hosts (host, next_slot_at) VALUES (${host}, clock_timestamp() + ${gap})
        ON CONFLICT (host) DO UPDATE
          SET next_slot_at = GREATEST(forum_hosts.next_slot_at, clock_timestamp()) + ${gap}
        RETURNING next_slot_at - ${gap} AS slot,
          (extract(epoch FROM (next_slot_at - ${gap} - clock_timestamp())) * 1000)::float8 AS wait_ms`,
  );
  return { slot: new Date(r?.slot ?? Date.now()), waitMs: Number(r?.wait_ms ?? 0) };
}

/** Pushes the host's next free slot back (the forum said we were too fast). */
export async function delaySlots(db: Tx, host: string, penaltyMs: number): Promise<void> {
  await db.execute(
    sql`UPDATE forum_hosts SET next_slot_at = GREATEST(next_slot_at, clock_timestamp())
          + make_interval(secs => ${penaltyMs / 1000})
        WHERE host = ${host}`,
  );
}

/** Keeps every caller off the host for `ms` from now (the forum's Retry-After); never brings a slot forward. */
export async function holdOff(db: Tx, host: string, ms: number): Promise<void> {
  await db.execute(
    sql`UPDATE forum_hosts SET next_slot_at = GREATEST(next_slot_at, clock_timestamp() + make_interval(secs => ${ms / 1000}))
        WHERE host = ${host}`,
  );
}

export interface BreakerRow {
  consecutive_failures: number;
  open_until: Date | string | null;
}

export function readBreaker(db: Tx, host: string) {
  return firstRow<BreakerRow>(
    db,
    sql`SELECT consecutive_failures, open_until FROM forum_hosts WHERE host = ${host}`,
  );
}

/** Half-open: exactly one caller (across processes) wins the probe after the cooldown. */
export async function claimProbe(db: Tx, host: string, now: Date, cooldownMs: number): Promise<boolean> {
  const r = await firstRow<{ host: string }>(
    db,
    sql`UPDATE forum_hosts SET open_until = ${new Date(now.getTime() + cooldownMs).toISOString()}
        WHERE host = ${host} AND open_until IS NOT NULL AND open_until <= ${now.toISOString()}
        RETURNING host`,
  );
  return r !== null;
}

export async function recordSuccess(db: Tx, host: string): Promise<void> {
  await db.execute(
    sql`UPDATE forum_hosts SET consecutive_failures = 0, open_until = NULL
        WHERE host = ${host} AND (consecutive_failures <> 0 OR open_until IS NOT NULL)`,
  );
}

/** Counts a failure; opens the breaker when the count reaches `threshold`. Returns the new count. */
export async function recordFailure(
  db: Tx,
  host: string,
  now: Date,
  threshold: number,
  cooldownMs: number,
): Promise<number> {
  const r = await firstRow<{ consecutive_failures: number }>(
    db,
    sql`UPDATE forum_hosts SET consecutive_failures = consecutive_failures + 1,
          open_until = CASE WHEN consecutive_failures + 1 >= ${threshold}
            THEN ${new Date(now.getTime() + cooldownMs).toISOString()}::timestamptz ELSE open_until END
        WHERE host = ${host}
        RETURNING consecutive_failures`,
  );
  return r?.consecutive_failures ?? 0;
}
