// Scales and ticks for the inline SVG charts (drawing only: values are plot numbers, never shown sums).
// With the extension: test/web's unit tests load this module under Node's resolution too.
import { formatShortDay } from "./format.ts";

/** The round step (1, 2, 5 x 10^n) that cuts [min, max] into about `count` parts. */
function niceStep(min: number, max: number, count: number, integer: boolean): number {
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return Math.max(
    integer ? 1 : 0,
    [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude,
  );
}

/** About `count` round tick values covering [min, max] (1, 2, 5 x 10^n steps). */
export function niceTicks(min: number, max: number, count = 4, integer = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const step = niceStep(min, max, count, integer);
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * An axis for values in [min, max] widened to round ticks at both ends, so the top grid line is at or
 * above the highest value (7,713.8 -> 0 to 8k in steps of 2k; 102 -> 0 to 120 in steps of 20).
 */
export function niceAxis(
  min: number,
  max: number,
  count = 4,
  integer = false,
): { min: number; max: number; ticks: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min, max, ticks: [] };
  if (min === max) return { min, max, ticks: [min] };
  // Of about `count` to `count + 2` parts, the step wasting the least room above the highest value.
  const ends = (step: number) => ({
    step,
    lo: Number((Math.floor(min / step + 1e-9) * step).toPrecision(12)),
    hi: Number((Math.ceil(max / step - 1e-9) * step).toPrecision(12)),
  });
  const { step, lo, hi } = [count, count + 1, count + 2]
    .map((n) => ends(niceStep(min, max, n, integer)))
    .reduce((best, next) => (next.hi - next.lo < best.hi - best.lo ? next : best));
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) ticks.push(Number((lo + i * step).toPrecision(12)));
  return { min: lo, max: hi, ticks };
}

/**
 * A rank axis from #1 (drawn at the top) down to the worst rank rounded up to a round step: ticks at
 * #1 and the step's multiples (one too close under #1 is left out). Steps of 1 and 2 count from #1
 * (#1 #3 #5 #7 #9), so the ticks stay evenly spaced where #1 #4 #6 #8 would not be.
 */
export function rankAxis(worst: number, count = 4): { min: number; max: number; ticks: number[] } {
  if (!Number.isFinite(worst) || worst <= 1) return { min: 1, max: 1, ticks: [1] };
  const step = niceStep(1, worst, count, true);
  if (step <= 2) {
    const max = 1 + Math.ceil((worst - 1) / step) * step;
    return { min: 1, max, ticks: Array.from({ length: (max - 1) / step + 1 }, (_, i) => 1 + i * step) };
  }
  const max = Math.ceil(worst / step) * step;
  const ticks = [1];
  for (let v = step; v <= max; v += step) if (v - 1 > step / 2) ticks.push(v);
  return { min: 1, max, ticks };
}

/** Linear map from a domain to a range. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Axis label of a time tick. */
export function formatTick(ms: number): string {
  return formatShortDay(new Date(ms));
}

export interface ChartSeries {
  label: string;
  color: string;
  points: { x: number; y: number; title: string }[];
}
