// Small shared pieces of the points module: its dependencies, exact decimal formatting, date parsing.

import type { ChangeFeed } from "../../core/changes.ts";
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { unprocessable } from "../../core/errors.ts";
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

/**
 * How another module (the forum) creates and edits the campaigns and contribution types it keeps in
 * step with its own records: only calls that name it may change them (`managed_by` on the row).
 */
export interface ManagedBy {
  /** The module's name ("forum"). */
  managedBy: string;
}

/** THE rule for managed records: a call may change one only when it names the record's manager (none: admins' own). */
export function mayEdit(recordManager: string | null, caller: ManagedBy | undefined): boolean {
  return recordManager === (caller?.managedBy ?? null);
}
