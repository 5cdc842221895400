// Rate limits and progressive lockout, counted in the database so they hold across processes.
// The numbers are the product's documented limits (see LIMITS); tests move the clock past them.
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import { tooManyRequests } from "../../core/errors.ts";
import * as repo from "./throttle.repo.ts";

/** Fixed windows: at most `max` requests per `windowSeconds`. */
export const LIMITS = {
  loginPerIp: { max: 30, windowSeconds: 15 * 60 },
  registerPerIp: { max: 10, windowSeconds: 60 * 60 },
  forgotPerIp: { max: 10, windowSeconds: 60 * 60 },
  forgotPerEmail: { max: 3, windowSeconds: 60 * 60 },
  resendPerIp: { max: 10, windowSeconds: 60 * 60 },
  resendPerEmail: { max: 3, windowSeconds: 60 * 60 },
  resetPerIp: { max: 10, windowSeconds: 15 * 60 },
  twoFactorPerAccount: { max: 10, windowSeconds: 15 * 60 },
  siweNoncePerIp: { max: 30, windowSeconds: 5 * 60 },
} as const;

/** Progressive lockout: after `freeFailures` consecutive failures, lock 1 min, doubling per further failure. */
export const LOCKOUT = {
  accountFreeFailures: 5,
  ipFreeFailures: 20,
  firstLockSeconds: 60,
  maxLockSeconds: 60 * 60,
  /** A failure more than this long after the previous one starts counting from one again. */
  resetAfterSeconds: 24 * 60 * 60,
} as const;

export type Limit = { max: number; windowSeconds: number };

export interface Throttle {
  /** Counts one request against a limit; 429 RATE_LIMITED when the window is full. */
  hit(key: string, limit: Limit): Promise<void>;
  /** 429 when any of the keys is locked out. */
  assertNotLocked(keys: string[]): Promise<void>;
  /** Records a failure for an account key (5 free) and IP keys (20 free), locking progressively. */
  fail(keys: { account?: string; ip?: string }): Promise<void>;
  /** Clears an account's failure count after a success. */
  succeed(accountKey: string): Promise<void>;
}

const rateLimited = (retryAfterSeconds: number) =>
  tooManyRequests("RATE_LIMITED", `Too many attempts; try again in ${retryAfterSeconds} seconds`, {
    retryAfterSeconds,
  });

/** Creates the throttle over the rate_limit_counters and auth_lockouts tables. */
export function createThrottle(deps: { db: Database; clock: Clock }): Throttle {
  const db = () => deps.db.orm;
  const secondsUntil = (d: Date) => Math.max(1, Math.ceil((d.getTime() - deps.clock.now().getTime()) / 1000));

  async function failKey(key: string, freeFailures: number) {
    const now = deps.clock.now();
    const failures = await repo.addFailure(
      db(),
      key,
      now,
      new Date(now.getTime() - LOCKOUT.resetAfterSeconds * 1000),
    );
    if (failures < freeFailures) return;
    const seconds = Math.min(
      LOCKOUT.firstLockSeconds * 2 ** (failures - freeFailures),
      LOCKOUT.maxLockSeconds,
    );
    await repo.setLock(db(), key, new Date(now.getTime() + seconds * 1000));
  }

  return {
    async hit(key, limit) {
      const now = deps.clock.now();
      const cutoff = new Date(now.getTime() - limit.windowSeconds * 1000);
      const r = await repo.hitCounter(db(), key, now, cutoff);
      if (r.hits > limit.max) {
        throw rateLimited(
          secondsUntil(new Date(new Date(r.window_start).getTime() + limit.windowSeconds * 1000)),
        );
      }
    },
    async assertNotLocked(keys) {
      const until = await repo.lockedUntil(db(), keys, deps.clock.now());
      if (until) throw rateLimited(secondsUntil(until));
    },
    async fail(keys) {
      if (keys.account) await failKey(keys.account, LOCKOUT.accountFreeFailures);
      if (keys.ip) await failKey(keys.ip, LOCKOUT.ipFreeFailures);
    },
    async succeed(accountKey) {
      await repo.clearFailures(db(), accountKey);
    },
  };
}
