// The slug the admin forms propose from a name (categories, types, campaigns).
import { describe, expect, it } from "vitest";
import { SLUG_PATTERN } from "../../src/modules/points/points.shared.ts";
import { SLUG_MAX, slugFrom } from "../../web/src/lib/slug.ts";

describe("slugFrom", () => {
  it("makes hyphen-separated lowercase words", () => {
    expect(slugFrom("Node Operators")).toBe("node-operators");
    expect(slugFrom("  Q4 -- Bounty!! ")).toBe("q4-bounty");
  });

  it("keeps accented letters without their accents", () => {
    expect(slugFrom("Über Builders")).toBe("uber-builders");
    expect(slugFrom("Café Crème")).toBe("cafe-creme");
  });

  it("stays within the server's rule, with no hyphen left at the cut", () => {
    const cut = slugFrom(`${"a".repeat(SLUG_MAX - 1)} tail`);
    expect(cut).toBe("a".repeat(SLUG_MAX - 1));
    for (const name of ["x".repeat(200), `${"ab ".repeat(40)}`, "Validator (mainnet) #1", "9 lives"]) {
      expect(slugFrom(name)).toMatch(new RegExp(SLUG_PATTERN));
    }
  });

  it("is empty when nothing can be kept", () => {
    expect(slugFrom("!!!")).toBe("");
    expect(slugFrom("日本")).toBe("");
  });
});
