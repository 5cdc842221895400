// Small shared pieces of the points module: its dependencies, exact decimal formatting, date parsing.

import type { ChangeFeed } from "../../core/changes.ts";
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { unprocessable } from "../../core/errors.ts";
import { isStorableInstant, LAST_INSTANT } from "../../core/instants.ts";
import type { PointsEvents } from "./points-events.ts";

export interface PointsDeps {
  db: Database;
  clock: Clock;
  events: PointsEvents;
  /** Change signals from other modules and processes (user visibility, campaign edits). */
  changes: ChangeFeed;
}

/** Normalises a numeric string for JSON ("15.00" -> "15", never exponent notation). */
export function decimalString(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "0";
  return new Decimal(value).toFixed();
}

/** a x b, exact, as a plain decimal string (no exponent). */
export function exactTimes(a: string, b: string): string {
  return new Decimal(a).times(b).toFixed();
}

/**
 * Whether two point totals are equal. Compare values, never the text: PostgreSQL keeps the scale a
 * sum reached, so the same 6 points can be "6" in one total and "6.0" in another.
 */
export function samePoints(a: string, b: string): boolean {
  return new Decimal(a).eq(b);
}

/**
 * A required text (a name, a token, a reason) as stored: without the whitespace around it. 422
 * BLANK_FIELD naming the field when nothing else is left: the schemas' minLength counts spaces.
 */
export function requiredText(value: string, field: string): string {
  const text = value.trim();
  if (!text) throw unprocessable("BLANK_FIELD", `${field} must not be blank`, { field });
  return text;
}

// A date (YYYY-MM-DD, the start of that UTC day) or an RFC 3339 date-time with a zone; four-digit
// years only, and the instant itself in years 1 to 9999 UTC (an offset can push 0001-01-01 or
// 9999-12-31 across), so every accepted value's toISOString() is a valid PostgreSQL timestamptz.
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:\d{2}))?$/;
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a date or date-time; a plain date is the start of that UTC day. 422 names the field. */
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
  // Out-of-range parts (February 30, hour 24) roll over: refuse them instead.
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
    const sign = zone[0] === "-" ? -1 : 1;
    const [oh, om] = zone.slice(1).split(":").map(Number);
    if (oh! > 23 || om! > 59) throw invalid();
    offsetMinutes = sign * (oh! * 60 + om!);
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

// PostgreSQL's text of a timestamptz: "2026-01-05 12:00:00.123456+00", the zone as ±HH[:MM[:SS]].
const PG_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?|Z)$/;

/**
 * A timestamp column's value as an ISO string. Raw SQL rows carry timestamptz as PostgreSQL's text
 * (both backends), and `new Date(text)` reads years 1-99 of it as 1950-2049 ("0001-01-01 00:00:00+00"
 * came back as 2001), so the text is read field by field.
 */
export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  const m = PG_TIMESTAMP.exec(value);
  if (!m) return new Date(value).toISOString();
  const [, y, mo, d, h, mi, sec, frac = "", sign, oh = "0", om = "0", os = "0"] = m;
  const at = new Date(0);
  at.setUTCFullYear(+y!, +mo! - 1, +d!); // unlike Date.UTC, takes years 0-99 as they are
  at.setUTCHours(+h!, +mi!, +sec!, Number(frac.padEnd(3, "0").slice(0, 3)));
  const offsetSeconds = (sign === "-" ? -1 : 1) * (+oh * 3600 + +om * 60 + +os);
  return new Date(at.getTime() - offsetSeconds * 1000).toISOString();
}

/** Beginning of time for the implicit 1.00 multiplier every type gets when it is created. */
export const BEGINNING_OF_TIME = new Date("1970-01-01T00:00:00.000Z");

/** Slugs: lower-case letters, digits and dashes. */
export const SLUG_PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";
