// A minimal five-field cron matcher (UTC): numbers, *, ranges a-b, steps */n and a-b/n, lists a,b.
// Used to decide on each minute tick whether a snapshot schedule (a runtime setting) is due.

function fieldMatches(field: string, value: number, min: number, max: number): boolean {
  return field.split(",").some((part) => {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo = min;
    let hi = max;
    if (range !== "*") {
      const [a, b] = range.split("-");
      lo = Number(a);
      hi = b === undefined ? (stepText === undefined ? lo : max) : Number(b);
    }
    if (![lo, hi, step].every(Number.isInteger) || step < 1) return false;
    return value >= lo && value <= hi && (value - lo) % step === 0;
  });
}

/** True when the expression is five valid-looking fields. */
export function isCronExpression(expr: string): boolean {
  return (
    /^(\S+\s+){4}\S+$/.test(expr.trim()) &&
    expr
      .trim()
      .split(/\s+/)
      .every((f) => /^[\d*,/-]+$/.test(f))
  );
}

/** True when `at` (UTC, minute precision) matches the cron expression; "" never matches. */
export function cronMatches(expr: string, at: Date): boolean {
  if (!isCronExpression(expr)) return false;
  const [min, hour, dom, mon, dow] = expr.trim().split(/\s+/);
  const day = at.getUTCDay();
  return (
    fieldMatches(min, at.getUTCMinutes(), 0, 59) &&
    fieldMatches(hour, at.getUTCHours(), 0, 23) &&
    fieldMatches(dom, at.getUTCDate(), 1, 31) &&
    fieldMatches(mon, at.getUTCMonth() + 1, 1, 12) &&
    (fieldMatches(dow, day, 0, 7) || (day === 0 && fieldMatches(dow, 7, 0, 7)))
  );
}
