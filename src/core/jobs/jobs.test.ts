import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cloneTemplate, type TestDatabase } from "../../../test/support/template-db.ts";
import { createLogger } from "../logger.ts";
import { JobRegistry } from "./job-registry.ts";
import { createJobRunner, type JobRunner } from "./job-runner.ts";

let t: TestDatabase;
let runner: JobRunner | null = null;
beforeAll(async () => {
  t = await cloneTemplate(inject("templateDb"));
});
afterAll(async () => {
  await runner?.stop(2000);
  await t?.drop();
});

const logger = createLogger({ logLevel: "silent" });

async function waitFor(check: () => boolean, ms = 20_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("jobs", () => {
  it("refuses to boot when a schedule names a job without a handler", async () => {
    const registry = new JobRegistry();
    registry.schedule({ name: "nobody.handles-this", cron: "* * * * *" });
    const r = createJobRunner({ db: t.db, registry, logger, role: "all" });
    await expect(r.start()).rejects.toThrow(/Scheduled jobs without a handler: nobody.handles-this/);
  });

  it("retries a job after its handler fails, then completes it", async () => {
    const registry = new JobRegistry();
    const attempts: Array<{ retryCount: number; value: number }> = [];
    registry.define<{ value: number }>({
      name: "test.flaky",
      retryLimit: 3,
      retryDelay: 1,
      retryBackoff: false,
      handler: async (data, job) => {
        attempts.push({ retryCount: job.retryCount, value: data.value });
        if (attempts.length < 2) throw new Error("first attempt fails");
      },
    });
    runner = createJobRunner({ db: t.db, registry, logger, role: "all", pollingIntervalSeconds: 0.5 });
    await runner.start();
    const id = await runner.send("test.flaky", { value: 42 });
    expect(id).toBeTypeOf("string");
    await waitFor(() => attempts.length >= 2);
    expect(attempts).toEqual([
      { retryCount: 0, value: 42 },
      { retryCount: 1, value: 42 },
    ]);
    await waitFor(() => false, 1500).catch(() => undefined);
    const counts = await runner.counts();
    expect(counts.find((c) => c.name === "test.flaky" && c.state === "completed")?.count).toBe(1);
  });

  it("refuses to enqueue a job nobody handles", async () => {
    await expect(runner!.send("test.unknown", {})).rejects.toThrow(/No handler/);
  });

  it("signals handlers at shutdown and keeps a straggler's bookkeeping away from the closing pool", async () => {
    const registry = new JobRegistry();
    const seen: string[] = [];
    let stragglerDone = false;
    registry.define({
      name: "test.polite",
      retryLimit: 2,
      handler: async (_data, job) => {
        seen.push("polite");
        await new Promise((_, reject) =>
          job.signal.addEventListener("abort", () => reject(job.signal.reason)),
        );
      },
    });
    registry.define({
      name: "test.straggler",
      retryLimit: 2,
      handler: async () => {
        seen.push("straggler");
        await new Promise((r) => setTimeout(r, 3000));
        stragglerDone = true;
      },
    });
    let queriesAfterStop = 0;
    let stopped = false;
    const db = {
      ...t.db,
      executeSql: (text: string, values?: unknown[]) => {
        if (stopped) queriesAfterStop++;
        return t.db.executeSql(text, values);
      },
    };
    const r = createJobRunner({ db, registry, logger, role: "all", pollingIntervalSeconds: 0.5 });
    await r.start();
    const polite = await r.send("test.polite", {});
    const straggler = await r.send("test.straggler", {});
    await waitFor(() => seen.length === 2);

    const before = Date.now();
    await r.stop(1000);
    stopped = true;
    expect(Date.now() - before).toBeLessThan(2900);
    await waitFor(() => stragglerDone);
    await new Promise((res) => setTimeout(res, 300));
    expect(queriesAfterStop).toBe(0);

    // Both jobs go back to the queue for a retry; neither is lost or marked complete.
    const states = await t.db.query<{ id: string; state: string }>(
      "SELECT id::text, state::text FROM pgboss.job WHERE id = ANY($1::uuid[])",
      [[polite, straggler]],
    );
    expect(Object.fromEntries(states.map((x) => [x.id, x.state]))).toEqual({
      [polite!]: "retry",
      [straggler!]: "retry",
    });
  });
});
