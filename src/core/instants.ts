// The instants Merit can store: PostgreSQL reads our dates as their toISOString(), which only has
// the plain `YYYY-...` form in years 1 to 9999 UTC (year 0 and year 10000 come out as `0000-...` and
// `+010000-...`, which it refuses). Every parser of user-given dates checks this one rule.

/** The first and last instants whose toISOString() PostgreSQL reads (years 1 to 9999 UTC). */
export const FIRST_INSTANT = new Date("0001-01-01T00:00:00.000Z");
export const LAST_INSTANT = new Date("9999-12-31T23:59:59.999Z");

/** Whether a date can be sent to PostgreSQL as its toISOString() (a valid date in years 1 to 9999 UTC). */
export function isStorableInstant(d: Date): boolean {
  return !Number.isNaN(d.getTime()) && d >= FIRST_INSTANT && d <= LAST_INSTANT;
}
