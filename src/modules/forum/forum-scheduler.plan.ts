// Plans one scrape round under the request budget (rate x interval): profiles with maturing posts
// first (those past maturation before all others, then the longest unchecked), idle profiles only
// every few rounds. Pure, so the benchmark and tests can run it on thousands of candidates.

export interface PlanCandidate {
  id: string;
  pending: number;
  /** Earliest maturation among its pending posts (ms), null when none. */
  nextMaturesAt: number | null;
  /** Last check attempt (ms), null when never checked. */
  lastCheckedAt: number | null;
}

export interface RoundPlan {
  budget: number;
  /** Requests the maturing profiles alone need this round. */
  neededForMaturing: number;
  /** Requests every due profile (maturing + idle due) would need. */
  needed: number;
  maturing: number;
  selected: string[];
  selectedMaturing: number;
  skippedMaturing: number;
  planned: number;
  budgetTooSmall: boolean;
  warning: string | null;
}

export interface PlanOptions {
  now: number;
  intervalMs: number;
  requestsPerSecond: number;
  /** Idle profiles (nothing maturing) are due once every this many rounds. */
  idleEveryRounds?: number;
  /** Each maturing profile should be checked at least this often (default 15 minutes). */
  targetGapMs?: number;
}

/** Requests one check costs: the profile page plus the history pages the pending posts span. */
export function checkCost(c: PlanCandidate): number {
  return 2 + Math.floor(c.pending / 20);
}

const lastChecked = (c: PlanCandidate) => c.lastCheckedAt ?? Number.NEGATIVE_INFINITY;

/** Chooses the profiles to check in one round. */
export function planRound(candidates: PlanCandidate[], o: PlanOptions): RoundPlan {
  const budget = Math.max(1, Math.floor((o.requestsPerSecond * o.intervalMs) / 1000));
  const idleGap = (o.idleEveryRounds ?? 3) * o.intervalMs;
  const maturing: PlanCandidate[] = [];
  const idle: PlanCandidate[] = [];
  for (const c of candidates) {
    if (c.pending > 0) maturing.push(c);
    else if (c.lastCheckedAt === null || o.now - c.lastCheckedAt >= idleGap) idle.push(c);
  }
  const overdue = (c: PlanCandidate) => c.nextMaturesAt !== null && c.nextMaturesAt <= o.now;
  maturing.sort((a, b) => Number(overdue(b)) - Number(overdue(a)) || lastChecked(a) - lastChecked(b));
  idle.sort((a, b) => lastChecked(a) - lastChecked(b));

  let used = 0;
  const selected: string[] = [];
  let selectedMaturing = 0;
  let neededForMaturing = 0;
  for (const c of maturing) {
    const cost = checkCost(c);
    neededForMaturing += cost;
    if (used + cost <= budget) {
      used += cost;
      selected.push(c.id);
      selectedMaturing++;
    }
  }
  let needed = neededForMaturing;
  for (const c of idle) {
    const cost = checkCost(c);
    needed += cost;
    if (used + cost <= budget) {
      used += cost;
      selected.push(c.id);
    }
  }
  const skippedMaturing = maturing.length - selectedMaturing;
  // Too small when the maturing profiles cannot all be checked within the target gap, over the
  // rounds that gap spans (15 minutes = 3 rounds of 300 s).
  const roundsPerGap = Math.max(1, Math.floor((o.targetGapMs ?? 15 * 60_000) / o.intervalMs));
  const budgetTooSmall = neededForMaturing > budget * roundsPerGap;
  return {
    budget,
    neededForMaturing,
    needed,
    maturing: maturing.length,
    selected,
    selectedMaturing,
    skippedMaturing,
    planned: used,
    budgetTooSmall,
    warning: budgetTooSmall
      ? `Request budget too small: ${maturing.length} profiles with maturing posts need ${neededForMaturing} requests, more than ${roundsPerGap} round(s) of ${budget} can serve within the coverage target (raise the request rate)`
      : null,
  };
}
