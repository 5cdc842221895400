import { describe, expect, it } from "vitest";
import { firstSteps, nextStep } from "../../web/src/lib/admin/first-steps.ts";

describe("first steps of a new instance", () => {
  it("marks each step done once the instance holds what it makes, in dependency order", () => {
    const empty = firstSteps({ categories: 0, types: 0, ranked: 0, campaigns: 0 });
    expect(empty.map((s) => [s.key, s.done])).toEqual([
      ["categories", false],
      ["types", false],
      ["ranked", false],
      ["campaigns", false],
    ]);
    expect(nextStep(empty)?.href).toBe("/admin/categories");

    const some = firstSteps({ categories: 2, types: 1, ranked: 0, campaigns: 1 });
    expect(some.filter((s) => s.done).map((s) => s.key)).toEqual(["categories", "types", "campaigns"]);
    expect(nextStep(some)?.key).toBe("ranked");

    expect(nextStep(firstSteps({ categories: 1, types: 1, ranked: 5, campaigns: 1 }))).toBeNull();
  });
});
