import { describe, expect, it } from "vitest";
import { checkMultiplierValue, typeHistory } from "../../web/src/lib/points/multipliers.ts";

describe("checkMultiplierValue", () => {
  it("accepts what the server accepts: above 0, at most 1000, at most 6 decimals", () => {
    for (const ok of ["1", "1.5", "0.000001", "1000", "999.999999", " 2.25 "])
      expect(checkMultiplierValue(ok)).toBeNull();
  });

  it("says what is wrong with anything else", () => {
    expect(checkMultiplierValue("")).toMatch(/Enter/);
    expect(checkMultiplierValue("1,5")).toBe("Use a dot for decimals: 1.5.");
    expect(checkMultiplierValue(".5")).toBe("Put a digit before the dot: 0.5.");
    expect(checkMultiplierValue("-1")).toMatch(/digits and one dot/);
    expect(checkMultiplierValue("1.1234567")).toBe("At most 6 decimals.");
    expect(checkMultiplierValue("0.000")).toMatch(/above 0/);
    expect(checkMultiplierValue("1000.5")).toBe("At most 1000.");
    expect(checkMultiplierValue("99999")).toBe("At most 1000.");
  });
});

describe("typeHistory", () => {
  const row = (id: string, typeId: string, validFrom: string) => ({
    id,
    contributionTypeId: typeId,
    validFrom,
  });
  it("orders a type's rows and marks the one in force", () => {
    const rows = [
      row("c", "t", "2026-03-01T00:00:00Z"),
      row("a", "t", "1970-01-01T00:00:00Z"),
      row("x", "other", "2026-01-01T00:00:00Z"),
      row("b", "t", "2026-01-01T00:00:00Z"),
    ];
    const now = Date.parse("2026-02-01T00:00:00Z");
    expect(typeHistory(rows, "t", now).map((m) => [m.id, m.state])).toEqual([
      ["a", "past"],
      ["b", "current"],
      ["c", "scheduled"],
    ]);
  });
});
