// The real `merit serve` process: boots on the embedded database, keeps data across a restart,
// and exits promptly on SIGTERM with the database closed.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const running: ChildProcess[] = [];
afterAll(() => {
  for (const p of running) p.kill("SIGKILL");
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function start(dataDir: string, port: number) {
  const child = spawn(process.execPath, ["bin/merit.js", "serve"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      SEED_DEMO: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const until = Date.now() + 90_000;
  while (!output.includes("is running at")) {
    if (child.exitCode !== null) throw new Error(`merit serve exited early:\n${output}`);
    if (Date.now() > until) throw new Error(`merit serve did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  const code = await exited;
  return { code, ms: Date.now() - t0 };
}

describe("merit serve", () => {
  it("starts with demo data, stops on SIGTERM within seconds, and keeps data across a restart", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "merit-serve-"));
    const port = await freePort();
    const first = await start(dataDir, port);
    expect(first.output()).toContain("admin / admin");
    const info = await (await fetch(`http://127.0.0.1:${port}/api/info`)).json();
    expect(info.counts.users).toBeGreaterThan(0);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);

    const stopped = await stop(first.child);
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5_000);

    const second = await start(dataDir, port);
    const again = await (await fetch(`http://127.0.0.1:${port}/api/info`)).json();
    expect(again.counts.users).toBe(info.counts.users);
    expect((await stop(second.child)).code).toBe(0);
  }, 240_000);
});
