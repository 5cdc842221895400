// The multiplier form's rules on the browser side: the same bounds the server checks (above 0, at
// most 1000, at most 6 decimals), said in words, and each type's history for the timeline.

/** What the timeline needs of a multiplier row (the API's Multiplier has more). */
interface MultiplierRow {
  contributionTypeId: string;
  validFrom: string;
}

/** What is wrong with a typed multiplier, in words, or null when the server will accept it. */
export function checkMultiplierValue(text: string): string | null {
  const v = text.trim();
  if (!v) return "Enter the new multiplier, e.g. 1.50.";
  if (/^\d*,\d*$/.test(v)) return `Use a dot for decimals: ${v.replace(",", ".")}.`;
  if (/^\.\d+$/.test(v)) return `Put a digit before the dot: 0${v}.`;
  if (!/^\d+(\.\d+)?$/.test(v)) return "Use digits and one dot only, e.g. 1.50 or 2.";
  const [int, fraction = ""] = v.split(".");
  if (fraction.length > 6) return "At most 6 decimals.";
  if (/^0+$/.test(int + fraction)) return "Must be above 0: ×0 would award nothing.";
  if (int.length > 4 || Number(v) > 1000) return "At most 1000.";
  return null;
}

/** Rows of one type, oldest first. */
export function rowsOfType<T extends MultiplierRow>(multipliers: T[], typeId: string): T[] {
  return multipliers
    .filter((m) => m.contributionTypeId === typeId)
    .sort((a, b) => Date.parse(a.validFrom) - Date.parse(b.validFrom));
}

/** Rows of one type, oldest first, each marked past / current (in force at `now`) / scheduled. */
export function typeHistory<T extends MultiplierRow>(multipliers: T[], typeId: string, now: number) {
  const rows = rowsOfType(multipliers, typeId);
  const current = rows.filter((m) => Date.parse(m.validFrom) <= now).at(-1);
  return rows.map((m) => ({
    ...m,
    state: m === current ? "current" : Date.parse(m.validFrom) > now ? "scheduled" : "past",
  }));
}
