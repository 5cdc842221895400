// A custom-range board on screen reloads only for live events dated inside its days.
import { describe, expect, it } from "vitest";
import { rangeMayChange } from "../../web/src/lib/points/live-filter.ts";

describe("rangeMayChange", () => {
  it("is true for dates on the range's days, both ends included, in UTC", () => {
    expect(rangeMayChange("2026-01-01", "2026-01-31", "2026-01-01T00:00:00.000Z")).toBe(true);
    expect(rangeMayChange("2026-01-01", "2026-01-31", "2026-01-31T23:59:59.999Z")).toBe(true);
    expect(rangeMayChange("2026-01-01", "2026-01-31", "2026-02-01T00:00:00.000Z")).toBe(false);
    expect(rangeMayChange("2026-01-01", "2026-01-31", "2025-12-31T23:59:59.999Z")).toBe(false);
  });
  it("is true when unsure: no date on the event, or bounds that are not plain days", () => {
    expect(rangeMayChange("2026-01-01", "2026-01-31", undefined)).toBe(true);
    expect(rangeMayChange("2026-01-01", "", "2026-05-01T00:00:00.000Z")).toBe(true);
    expect(rangeMayChange("2026-01-01T00:00:00Z", "2026-01-31", "2026-05-01T00:00:00.000Z")).toBe(true);
    expect(rangeMayChange("2026-01-01", "2026-01-31", "not a date")).toBe(true);
  });
});
