// The instants Merit can store: PostgreSQL reads our dates as their toISOString(), which only has
// the plain `YYYY-...` form in years 1 to 9999 UTC (year 0 and year 10000 come out as `0000-...` and
// `+010000-...`, which it refuses). Every user-given date goes through parseInstant below, so a
// body field, a query filter and a campaign window accept the same texts and refuse them alike.

import { unprocessable } from "./errors.ts";

/** The first and last instants whose toISOString() PostgreSQL reads (years 1 to 9999 UTC). */
export const FIRST_INSTANT = new Date("0001-01-01T00:00:00.000Z");
export const LAST_INSTANT = new Date("9999-12-31T23:59:59.999Z");

/** Whether a date can be sent to PostgreSQL as its toISOString() (a valid date in years 1 to 9999 UTC). */
export function isStorableInstant(d: Date): boolean {
  return !Number.isNaN(d.getTime()) && d >= FIRST_INSTANT && d <= LAST_INSTANT;
}

// A date (YYYY-MM-DD, the start of that UTC day) or a date-time with a zone: Z, +HH:MM, or the +HHMM
// and +HH forms the request schemas' "date-time" format also lets through. Four-digit years only, and
// the instant itself in years 1 to 9999 UTC (an offset can push 0001-01-01 or 9999-12-31 across).
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?))?$/;
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a date or date-time; a plain date is the start of that UTC day. 422 INVALID_DATE names the field. */
export function parseInstant(value: string, field: string): Date {
  const invalid = () =>
    unprocessable(
      "INVALID_DATE",
      `${field} is not a valid date (YYYY-MM-DD, or a date-time such as 2026-01-05T12:00:00Z)`,
      { field },
    );
  const m = INSTANT.exec(value);
  if (!m) throw invalid();
  const [, y, mo, d, h = "00", mi = "00", sec = "00", frac = "", zone] = m;
  if (m[4] !== undefined && zone === undefined) throw invalid(); // a time needs its zone
  const local = new Date(
    Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +sec, Number(frac.padEnd(3, "0").slice(0, 3))),
  );
  local.setUTCFullYear(+y!); // Date.UTC maps years 0-99 to 1900-1999
  // Out-of-range parts (February 30, hour 24, second 60) roll over: refuse them instead.
  if (
    local.getUTCFullYear() !== +y! ||
    local.getUTCMonth() !== +mo! - 1 ||
    local.getUTCDate() !== +d! ||
    local.getUTCHours() !== +h ||
    local.getUTCMinutes() !== +mi ||
    local.getUTCSeconds() !== +sec
  )
    throw invalid();
  let offsetMinutes = 0;
  if (zone && zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || "0");
    if (oh > 23 || om > 59) throw invalid();
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const instant = new Date(local.getTime() - offsetMinutes * 60_000);
  if (!isStorableInstant(instant)) throw invalid();
  return instant;
}

/**
 * End of a range given by the user: a plain date includes that whole UTC day (exclusive bound
 * returned). The day after 9999-12-31 cannot be sent to PostgreSQL as an ISO string, so that day
 * ends at LAST_INSTANT (no contribution can be dated there: dates in the future are refused).
 */
export function parseRangeEnd(value: string, field: string): Date {
  const d = parseInstant(value, field);
  if (!PLAIN_DATE.test(value)) return d;
  return new Date(Math.min(d.getTime() + 86_400_000, LAST_INSTANT.getTime()));
}

/**
 * A from/to filter given by the user (either side optional; a plain `to` date includes its day).
 * 422 INVALID_RANGE, naming `to`, when both are given and `to` is not after `from`.
 */
export function parseRange(from: string | undefined, to: string | undefined): { from?: Date; to?: Date } {
  const range = {
    from: from ? parseInstant(from, "from") : undefined,
    to: to ? parseRangeEnd(to, "to") : undefined,
  };
  if (range.from && range.to && range.to <= range.from)
    throw unprocessable("INVALID_RANGE", "to must be after from", { field: "to" });
  return range;
}
