// The web app's exact decimal display helpers (pure functions, no browser needed).
import { describe, expect, it } from "vitest";
import { formatDecimal, formatTokenAmount } from "../../web/src/lib/points/decimal.ts";

describe("formatDecimal", () => {
  it("groups the integer part and rounds half away from zero", () => {
    expect(formatDecimal("1234567.891")).toBe("1,234,567.89");
    expect(formatDecimal("-2.005")).toBe("-2.01");
    expect(formatDecimal("not a number")).toBe("not a number");
  });
});

describe("formatTokenAmount", () => {
  it("shows two fraction digits from 1 up", () => {
    expect(formatTokenAmount("26736.97516930")).toBe("26,736.98");
    expect(formatTokenAmount("8265.1")).toBe("8,265.10");
    expect(formatTokenAmount("1")).toBe("1.00");
    expect(formatTokenAmount("75.00000000")).toBe("75.00");
  });

  it("keeps four significant digits below 1, so a small share never reads 0", () => {
    expect(formatTokenAmount("0.00012345")).toBe("0.0001235");
    expect(formatTokenAmount("0.5")).toBe("0.5");
    expect(formatTokenAmount("0.99999999")).toBe("1");
    expect(formatTokenAmount("0")).toBe("0");
  });

  it("shows a dash for no value", () => {
    expect(formatTokenAmount(null)).toBe("–");
    expect(formatTokenAmount("")).toBe("–");
  });
});
