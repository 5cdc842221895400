// Display helpers for points pages: dates, board names, periods. No imports, so test/web can load it.

/** What boardLabel needs of a category or campaign. */
interface Named {
  slug: string;
  name: string;
}

/** A date formatter in UTC, the one time zone of the points pages (English, US order by default). */
function utcFormat(options: Intl.DateTimeFormatOptions, locale = "en-US"): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" });
}

const dayParts = { year: "numeric", month: "short", day: "numeric" } as const;
const dateFormat = utcFormat(dayParts);
const dateTimeFormat = utcFormat({
  ...dayParts,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
});
const shortDay = utcFormat({ month: "short", day: "numeric" });
const weekdayDay = utcFormat({ weekday: "short", month: "short", day: "numeric" });
const monthYear = utcFormat({ year: "numeric", month: "long" });
const clockSeconds = utcFormat(
  { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" },
  "en-GB",
);

/** "Mar 4, 2026" (UTC, like the boards' weeks and months). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "–";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

/** "Mar 4, 2026, 14:05 UTC" (24-hour clock: no "12:00 AM" for midnight). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
}

/** "Mar 4": a UTC day without its year (chart axes and bars). */
export function formatShortDay(date: Date): string {
  return shortDay.format(date);
}

/** An exact instant such as a campaign's end: the one date-time format, 24-hour clock ("Dec 1, 2026, 00:00 UTC"). */
export const formatInstant = formatDateTime;

/** "02:47:29 UTC": a time of day in UTC, like every other time on the points pages. */
export function formatTimeUtc(date: Date): string {
  return `${clockSeconds.format(date)} UTC`;
}

/** "Nov 1 – Nov 30, 2026", "Dec 1, 2025 – Jan 31, 2026" or "Nov 1, 2026": whole UTC days, both included. */
export function formatDayRange(first: Date, last: Date): string {
  if (first.toISOString().slice(0, 10) >= last.toISOString().slice(0, 10)) return dateFormat.format(first);
  if (first.getUTCFullYear() === last.getUTCFullYear())
    return `${shortDay.format(first)} – ${dateFormat.format(last)}`;
  return `${dateFormat.format(first)} – ${dateFormat.format(last)}`;
}

/** A YYYY-MM-DD day as a Date at its UTC midnight (null when not a real day). */
export function parseDay(day: string | null | undefined): Date | null {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day ? null : d;
}

/**
 * What a board period covers, from the bucket the board was read in ("w:2026-11-30", "m:2026-11"):
 * "Mon, Nov 30 – now (UTC)", "Nov 1 – now (UTC)". Null for all time or an unknown bucket.
 */
export function periodSpan(bucket: string | null | undefined): string | null {
  const start = bucket?.startsWith("w:")
    ? parseDay(bucket.slice(2))
    : bucket?.startsWith("m:")
      ? parseDay(`${bucket.slice(2)}-01`)
      : null;
  if (!start) return null;
  return `${(bucket?.startsWith("w:") ? weekdayDay : shortDay).format(start)} – now (UTC)`;
}

const relativeAuto = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });
const relativeCount = new Intl.RelativeTimeFormat("en-US", { numeric: "always" });
/**
 * Units and the span from which each applies. Days run up to 60 (a month is not a fixed length:
 * "next month" for a campaign ending Jan 1 would read as sometime in January), weeks are skipped.
 */
const relativeUnits: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 2 * 31_536_000],
  ["month", 60 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/**
 * "3 minutes ago", "in 2 days", "in 31 days", "in 3 months": the largest unit that fits, counted;
 * only a day either side reads as a word ("tomorrow", "yesterday") and under a second as "now".
 */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  for (const [unit, from] of relativeUnits) {
    if (Math.abs(seconds) >= from) {
      const size = unit === "year" ? 31_536_000 : unit === "month" ? 2_592_000 : from;
      const n = Math.trunc(seconds / size);
      return (unit === "day" ? relativeAuto : relativeCount).format(n, unit);
    }
  }
  return seconds === 0 ? relativeAuto.format(0, "second") : relativeCount.format(seconds, "second");
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** Compact axis label of a value: 1200 -> "1.2K". */
export function formatCompact(value: number): string {
  return compact.format(value);
}

/** Today as YYYY-MM-DD in UTC (default of date inputs). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export const periodLabels: Record<string, string> = {
  all: "All time",
  week: "This week",
  month: "This month",
  custom: "Custom range",
};

/** A series of snapshots of one period kind (rank history): "All time", "Weekly", "Monthly". */
export const seriesPeriodLabels: Record<string, string> = {
  all: "All time",
  week: "Weekly",
  month: "Monthly",
  custom: "Custom range",
};

/**
 * The period a snapshot froze: a week or month is a past one once frozen, so it is named
 * ("Week of Jan 26, 2026", "January 2026") rather than "This week".
 */
export function snapshotPeriodLabel(s: { period: string; bucket: string | null }): string {
  if (s.bucket?.startsWith("w:")) return `Week of ${formatDate(`${s.bucket.slice(2)}T00:00:00Z`)}`;
  if (s.bucket?.startsWith("m:")) {
    return monthYear.format(new Date(`${s.bucket.slice(2)}-01T00:00:00Z`));
  }
  return periodLabels[s.period] ?? s.period;
}

/** "global" -> "Global", "category:builder" -> "Builder" (or the category's name when known). */
export function boardLabel(board: string, categories: Named[] = [], campaigns: Named[] = []): string {
  if (board === "global") return "Global";
  const [kind, slug] = board.split(":");
  if (kind === "category") return categories.find((c) => c.slug === slug)?.name ?? titleCase(slug ?? board);
  if (kind === "campaign") return campaigns.find((c) => c.slug === slug)?.name ?? titleCase(slug ?? board);
  return board;
}

/** "bug-report" -> "Bug report". */
export function titleCase(slug: string): string {
  const text = slug.replace(/[-_]+/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A stable hue per username, for avatars. */
export function avatarHue(username: string): number {
  let hash = 0;
  for (const char of username) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}
