// Vitest globalSetup for the e2e project: makes sure web/build is present and newer than its sources,
// building it once (not per test file) when it is missing or stale.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const webDir = path.join(rootDir, "web");
const builtMarker = path.join(webDir, "build", "200.html");
const sourceEntries = ["src", "static", "svelte.config.js", "vite.config.ts", "tsconfig.json"];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** Whether web/build must be (re)built. */
export function isWebBuildStale(): boolean {
  if (!existsSync(builtMarker)) return true;
  const builtAt = statSync(builtMarker).mtimeMs;
  return sourceEntries.some((entry) => newestMtime(path.join(webDir, entry)) > builtAt);
}

export default function setup(): void {
  if (process.env.MERIT_E2E_SKIP_BUILD === "true" || !isWebBuildStale()) return;
  console.log("[e2e] web/build is missing or stale: running `npm run build:web`...");
  const started = Date.now();
  try {
    // Vitest sets NODE_ENV=test, which would make Vite build a development bundle (dev-only checks and
    // warnings, larger files) that the tests, and a later `merit serve`, would use: build what users get.
    execFileSync("npm", ["run", "--silent", "build:web"], {
      cwd: rootDir,
      stdio: "pipe",
      encoding: "utf8",
      env: { ...process.env, NODE_ENV: "production" },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`[e2e] web build failed:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
  console.log(`[e2e] web built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
