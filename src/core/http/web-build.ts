// `npm start` builds the web app when web/build is missing or older than its sources.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) {
    if (entry === "node_modules" || entry === "build" || entry === ".svelte-kit") continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** True when the built web app is missing or older than any of its sources. */
export function isWebBuildStale(rootDir: string): boolean {
  const built = path.join(rootDir, "web", "build", "200.html");
  if (!existsSync(built)) return true;
  return newestMtime(path.join(rootDir, "web")) > statSync(built).mtimeMs;
}

/** Runs `npm run build:web` with output shown; throws if it fails. */
export function buildWeb(rootDir: string): void {
  const r = spawnSync("npm", ["run", "build:web"], { cwd: rootDir, stdio: "inherit" });
  if (r.status !== 0) throw new Error("Building the web app failed (npm run build:web)");
}
