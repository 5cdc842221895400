// Locates the shared real-page fixtures and gates the suites that need them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Absolute path of the saved Bitcointalk pages: `<repo>/../shared/fixtures/bitcointalk`. */
export function bitcointalkFixturesDir(): string {
  return path.resolve(REPO_ROOT, "../shared/fixtures/bitcointalk");
}

/** Raw bytes of one fixture page (decode them with `decodePage`, as the scraper does). */
export function readFixtureBytes(name: string): Buffer {
  return readFileSync(path.join(bitcointalkFixturesDir(), name));
}

/** Names of the `.html` fixtures present, sorted. */
export function listFixturePages(): string[] {
  return readdirSync(bitcointalkFixturesDir())
    .filter((name) => name.endsWith(".html"))
    .sort();
}

export type FixtureGate = "run" | "fail" | "skip";

/** Missing fixtures fail on CI (CI=true): silently skipping parser tests there would hide regressions. */
export function fixtureGate(dirExists: boolean, env: NodeJS.ProcessEnv = process.env): FixtureGate {
  if (dirExists) return "run";
  return env.CI === "true" ? "fail" : "skip";
}

/** `describe` for suites that need the fixture folder; fails on CI without it, skips locally with a note. */
export function describeWithFixtures(name: string, body: () => void): void {
  const dir = bitcointalkFixturesDir();
  const gate = fixtureGate(existsSync(dir));
  if (gate === "run") {
    describe(name, body);
    return;
  }
  const reason = `Bitcointalk fixtures not found at ${dir}; they live outside the repository in ../shared/fixtures.`;
  if (gate === "fail") {
    describe(name, () => {
      it("has the real-page fixtures", () => {
        throw new Error(`${reason} CI must run the parser tests on real pages.`);
      });
    });
    return;
  }
  console.warn(`[skip] ${name}: ${reason}`);
  describe.skip(name, () => {
    it("needs the real-page fixtures", () => {});
  });
}
