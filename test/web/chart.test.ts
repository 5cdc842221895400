// The rank axis of the rank-history chart: evenly spaced ticks from #1 down.
import { describe, expect, it } from "vitest";
import { rankAxis } from "../../web/src/lib/points/chart.ts";

describe("rankAxis", () => {
  it("is #1 alone when everyone ranked first", () => {
    expect(rankAxis(1)).toEqual({ min: 1, max: 1, ticks: [1] });
  });

  it("counts small steps from #1, so the gaps are even", () => {
    expect(rankAxis(3)).toEqual({ min: 1, max: 3, ticks: [1, 2, 3] });
    expect(rankAxis(8)).toEqual({ min: 1, max: 9, ticks: [1, 3, 5, 7, 9] });
  });

  it("puts larger steps on round ranks, leaving out one too close under #1", () => {
    expect(rankAxis(18)).toEqual({ min: 1, max: 20, ticks: [1, 5, 10, 15, 20] });
    expect(rankAxis(950).ticks).toEqual([1, 500, 1000]);
  });
});
