// Small shared pieces of the points module: its dependencies, exact decimal formatting, date parsing.
import { Decimal } from "decimal.js";
import type { ChangeFeed } from "../../core/changes.ts";
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
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

// Products of multipliers and points must never round: decimal.js rounds to 20 significant digits
// by default, this clone keeps far more than any product of the numeric columns' inputs needs.
const Exact = Decimal.clone({ precision: 1_000 });

/** a x b, exact, as a plain decimal string (no exponent). */
export function exactTimes(a: string, b: string): string {
  return new Exact(a).times(b).toFixed();
}

/** Parses a date or date-time; a plain date is the start of that UTC day. 422 names the field. */
export function parseInstant(value: string, field: string): Date {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime()))
    throw unprocessable("INVALID_DATE", `${field} is not a valid date`, { field });
  return d;
}

/** End of a range given by the user: a plain date includes that whole UTC day (exclusive bound returned). */
export function parseRangeEnd(value: string, field: string): Date {
  const d = parseInstant(value, field);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(d.getTime() + 86_400_000) : d;
}

/** Timestamp columns arrive as Date (node-postgres, PGlite) but are typed loosely by raw SQL. */
export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** Beginning of time for the implicit 1.00 multiplier every type gets when it is created. */
export const BEGINNING_OF_TIME = new Date("1970-01-01T00:00:00.000Z");

/** Slugs: lower-case letters, digits and dashes. */
export const SLUG_PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";
