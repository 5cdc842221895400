// A minimal five-field cron matcher (UTC): numbers, *, ranges a-b, steps */n and a-b/n, lists a,b.
// Used to decide on each minute tick which snapshot schedule (a runtime setting) is due, and to
// validate the setting when an admin changes it.

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

interface Part {
  lo: number;
  hi: number;
  step: number;
}

/** Parses one comma-separated part of a field; null when it is not a number, range or step. */
function parsePart(part: string, min: number, max: number): Part | null {
  const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
  if (!m) return null;
  const step = m[4] === undefined ? 1 : Number(m[4]);
  if (m[1] === "*") return { lo: min, hi: max, step };
  const lo = Number(m[2]);
  // "5/15" means from 5 to the end, every 15.
  const hi = m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : lo;
  return { lo, hi, step };
}

/** Why a cron expression is unusable, or null when it is valid (an empty string is valid: disabled). */
export function cronProblem(expr: string): string | null {
  const text = expr.trim();
  if (text === "") return null;
  const fields = text.split(/\s+/);
  if (fields.length !== 5)
    return `needs five fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    const { name, min, max } = FIELDS[i];
    for (const part of field.split(",")) {
      const p = parsePart(part, min, max);
      if (!p) return `${name} "${part}" is not a number, *, range a-b or step /n`;
      if (p.step < 1) return `${name} step must be at least 1`;
      if (p.lo < min || p.hi > max) return `${name} must be within ${min}-${max}, got "${part}"`;
      if (p.lo > p.hi) return `${name} range "${part}" runs backwards`;
    }
  }
  return null;
}

/** True when the expression is five valid fields. */
export function isCronExpression(expr: string): boolean {
  return expr.trim() !== "" && cronProblem(expr) === null;
}

function fieldMatches(field: string, value: number, min: number, max: number): boolean {
  return field.split(",").some((part) => {
    const p = parsePart(part, min, max);
    return p !== null && value >= p.lo && value <= p.hi && (value - p.lo) % p.step === 0;
  });
}

/** Whether the day of `at` (UTC) matches the day-of-month, month and day-of-week fields (7 is Sunday too). */
function dayMatches(dom: string, mon: string, dow: string, at: Date): boolean {
  const day = at.getUTCDay();
  return (
    fieldMatches(dom, at.getUTCDate(), 1, 31) &&
    fieldMatches(mon, at.getUTCMonth() + 1, 1, 12) &&
    (fieldMatches(dow, day, 0, 7) || (day === 0 && fieldMatches(dow, 7, 0, 7)))
  );
}

/** True when `at` (UTC, minute precision) matches the cron expression; "" never matches. */
export function cronMatches(expr: string, at: Date): boolean {
  if (!isCronExpression(expr)) return false;
  const [min, hour, dom, mon, dow] = expr.trim().split(/\s+/);
  return (
    fieldMatches(min, at.getUTCMinutes(), 0, 59) &&
    fieldMatches(hour, at.getUTCHours(), 0, 23) &&
    dayMatches(dom, mon, dow, at)
  );
}

const DAY_MS = 86_400_000;

/**
 * The first minute after `after` the expression matches, looking up to `horizonDays` ahead (a
 * February 30 never comes: null), or null for an empty or invalid expression. Walks days, then the
 * matching hours of a matching day, then minutes: at most a few thousand checks.
 */
export function nextMatch(expr: string, after: Date, horizonDays = 4 * 366): Date | null {
  if (!isCronExpression(expr)) return null;
  const [min, hour, dom, mon, dow] = expr.trim().split(/\s+/);
  const first = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  const firstDay = Math.floor(first / DAY_MS) * DAY_MS;
  for (let d = 0; d <= horizonDays; d++) {
    const dayStart = firstDay + d * DAY_MS;
    if (!dayMatches(dom, mon, dow, new Date(dayStart))) continue;
    for (let h = 0; h < 24; h++) {
      if (!fieldMatches(hour, h, 0, 23) || dayStart + (h + 1) * 3_600_000 <= first) continue;
      for (let m = 0; m < 60; m++) {
        const at = dayStart + h * 3_600_000 + m * 60_000;
        if (at >= first && fieldMatches(min, m, 0, 59)) return new Date(at);
      }
    }
  }
  return null;
}

/**
 * The latest minute in (now - lookbackMinutes, now] the expression matches, or null. A tick that
 * runs late (a busy worker, a retry, a restart) still finds the slot it should have taken.
 */
export function latestMatch(expr: string, now: Date, lookbackMinutes: number): Date | null {
  if (!isCronExpression(expr)) return null;
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  for (let i = 0; i < lookbackMinutes; i++) {
    const at = new Date(minute - i * 60_000);
    if (cronMatches(expr, at)) return at;
  }
  return null;
}
