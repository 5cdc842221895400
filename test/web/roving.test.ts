// Arrow keys in the period switch and the forum admin tabs.
import { describe, expect, it } from "vitest";
import { rovingTarget } from "../../web/src/lib/components/roving.ts";

describe("rovingTarget", () => {
  it("moves to the next and previous item, wrapping at the ends", () => {
    expect(rovingTarget("ArrowRight", 0, 4)).toBe(1);
    expect(rovingTarget("ArrowDown", 3, 4)).toBe(0);
    expect(rovingTarget("ArrowLeft", 0, 4)).toBe(3);
    expect(rovingTarget("ArrowUp", 2, 4)).toBe(1);
  });

  it("goes to the first and last item with Home and End", () => {
    expect(rovingTarget("Home", 2, 4)).toBe(0);
    expect(rovingTarget("End", 0, 4)).toBe(3);
  });

  it("ignores other keys and empty groups", () => {
    expect(rovingTarget("Enter", 1, 4)).toBeNull();
    expect(rovingTarget("a", 1, 4)).toBeNull();
    expect(rovingTarget("ArrowRight", 0, 0)).toBeNull();
  });
});
