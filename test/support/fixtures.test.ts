import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bitcointalkFixturesDir, fixtureGate } from "./fixtures.ts";

describe("bitcointalk fixtures location and gate", () => {
  it("resolves ../shared/fixtures/bitcointalk next to the repository root", () => {
    const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
    expect(bitcointalkFixturesDir()).toBe(
      path.join(path.dirname(repoRoot), "shared", "fixtures", "bitcointalk"),
    );
  });

  it("runs when present, fails on CI when missing, skips locally when missing", () => {
    expect(fixtureGate(true, { CI: "true" })).toBe("run");
    expect(fixtureGate(false, { CI: "true" })).toBe("fail");
    expect(fixtureGate(false, {})).toBe("skip");
    expect(fixtureGate(false, { CI: "false" })).toBe("skip");
  });

  it.runIf(process.env.CI === "true")("has the fixtures on CI", () => {
    expect(existsSync(path.join(bitcointalkFixturesDir(), "SOURCES.md"))).toBe(true);
  });
});
