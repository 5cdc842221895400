// Which live events can change the board on screen. No imports, so test/web can load it.

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether a write to a contribution dated `contributionDate` (ISO) can change a custom range of
 * whole UTC days `from`..`to` (YYYY-MM-DD, both included, as the API reads them). True when unsure:
 * no date on the event (an older server) or bounds that are not plain days.
 */
export function rangeMayChange(
  from: string | undefined,
  to: string | undefined,
  contributionDate?: string,
): boolean {
  if (!contributionDate || !from || !to || !DAY.test(from) || !DAY.test(to)) return true;
  const at = new Date(contributionDate);
  if (Number.isNaN(at.getTime())) return true;
  const day = at.toISOString().slice(0, 10);
  return day >= from && day <= to;
}
