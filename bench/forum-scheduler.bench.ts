// Forum scheduler: time to plan one round for 5,000 verified profiles, and the coverage the planner
// reaches at 1 request/second (300-second rounds, 24-hour maturation) in virtual time. Run:
//   npx tsx bench/forum-scheduler.bench.ts [profiles] [days]
// Coverage target: every profile with a maturing post checked at least every 15 minutes, when the
// budget allows it (budget = 1 req/s x 300 s = 300 requests per round, 2+ requests per check).
import { type PlanCandidate, planRound } from "../src/modules/forum/forum-scheduler.plan.ts";

const PROFILES = Number(process.argv[2] ?? 5000);
const DAYS = Number(process.argv[3] ?? 2);
const INTERVAL_MS = 300_000;
const MATURATION_MS = 24 * 3_600_000;
const TARGET_GAP_MS = 15 * 60_000;

function timePlanning() {
  const now = Date.UTC(2026, 0, 1);
  const candidates: PlanCandidate[] = [...Array(PROFILES)].map((_, i) => ({
    id: `p${i}`,
    pending: i % 3 === 0 ? 1 + (i % 7) : 0,
    nextMaturesAt: i % 3 === 0 ? now + ((i * 7919) % MATURATION_MS) - MATURATION_MS / 4 : null,
    lastCheckedAt: i % 11 === 0 ? null : now - ((i * 104_729) % (6 * INTERVAL_MS)),
  }));
  const runs: number[] = [];
  for (let r = 0; r < 50; r++) {
    const t = performance.now();
    planRound(candidates, { now, intervalMs: INTERVAL_MS, requestsPerSecond: 1 });
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  console.log(
    `plan ${PROFILES} profiles: median ${runs[25].toFixed(2)} ms, max ${runs[49].toFixed(2)} ms (target < 1000 ms)`,
  );
}

/** Virtual-time rounds: each profile posts with probability `postsPerDay`/day; returns coverage figures. */
function simulate(postsPerDay: number) {
  // mulberry32: a small deterministic PRNG with 32-bit integer arithmetic.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const state = [...Array(PROFILES)].map((_, i) => ({
    id: `p${i}`,
    matures: [] as number[],
    maturingSince: null as number | null,
    lastChecked: null as number | null,
    maxGapWhileMaturing: 0,
  }));
  const start = 0;
  let warnings = 0;
  let rounds = 0;
  for (let now = start; now < DAYS * 86_400_000; now += INTERVAL_MS) {
    rounds++;
    for (const s of state) {
      if (random() < (postsPerDay * INTERVAL_MS) / 86_400_000) {
        if (s.matures.length === 0) s.maturingSince = now;
        s.matures.push(now + MATURATION_MS);
      }
    }
    const plan = planRound(
      state.map((s) => ({
        id: s.id,
        pending: s.matures.length,
        nextMaturesAt: s.matures[0] ?? null,
        lastCheckedAt: s.lastChecked,
      })),
      { now, intervalMs: INTERVAL_MS, requestsPerSecond: 1 },
    );
    if (plan.budgetTooSmall) warnings++;
    const byId = new Map(state.map((s) => [s.id, s]));
    plan.selected.forEach((id, i) => {
      const s = byId.get(id);
      if (!s) return;
      // Checks are spread over the round at the request rate.
      const at = now + (i * INTERVAL_MS) / plan.selected.length;
      if (s.matures.length > 0 && s.maturingSince !== null) {
        const from = Math.max(s.lastChecked ?? s.maturingSince, s.maturingSince);
        s.maxGapWhileMaturing = Math.max(s.maxGapWhileMaturing, at - from);
      }
      s.lastChecked = at;
      s.matures = s.matures.filter((m) => m > at);
      s.maturingSince = s.matures.length > 0 ? at : null;
    });
  }
  const maturing = state.filter((s) => s.maxGapWhileMaturing > 0);
  const within = maturing.filter((s) => s.maxGapWhileMaturing <= TARGET_GAP_MS).length;
  const worst = Math.max(0, ...maturing.map((s) => s.maxGapWhileMaturing));
  console.log(
    `coverage at 1 req/s, ${postsPerDay} posts/profile/day over ${DAYS} days (${rounds} rounds): ` +
      `${within}/${maturing.length} maturing profiles always checked within 15 min, worst gap ${(worst / 60_000).toFixed(1)} min, ` +
      `budget-too-small warnings in ${warnings} rounds`,
  );
}

timePlanning();
for (const rate of [0.05, 0.2, 1]) simulate(rate);
