// The polite client against the simulator: one shared rate limit across clients on one database,
// retries, and the circuit breaker.
import type { IncomingMessage } from "node:http";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../../test/support/test-app.ts";
import { ManualClock } from "../../../core/clock.ts";
import { createForumSim, type ForumSim } from "../sim/forum-sim.server.ts";
import { createForumClient, type ScraperSettings } from "./forum-client.ts";
import { readBreaker } from "./hosts.repo.ts";

let merit: TestMerit;
let sim: ForumSim;
let url: string;
const clock = new ManualClock("2026-03-02T12:00:00Z");
const arrivals: number[] = [];

const settings =
  (s: Partial<ScraperSettings> = {}) =>
  async (): Promise<ScraperSettings> => ({
    requestsPerSecond: 10,
    maxRetries: 0,
    retryBaseMs: 1,
    // Generous: only the hung-request case below sets a short timeout; a loaded CI machine must not
    // turn a normal page into a timeout.
    timeoutMs: 15_000,
    breakerThreshold: 1000,
    breakerCooldownSeconds: 60,
    ...s,
  });

beforeAll(async () => {
  merit = await createTestMerit({ clock });
  sim = createForumSim({ clock });
  sim.server.on("request", (req: IncomingMessage) => {
    if (req.url?.startsWith("/index.php")) arrivals.push(performance.now());
  });
  ({ url } = await sim.listen(0, "127.0.0.1"));
  sim.addMember({ id: 1, name: "Someone", position: "Member" });
});
afterAll(async () => {
  await merit?.destroy();
  await sim?.close();
});

const client = (s: Partial<ScraperSettings> = {}) =>
  createForumClient({ db: merit.core.db, clock, logger: merit.core.logger, settings: settings(s) });

describe("forum client", () => {
  it("shares one per-host request rate between two clients on the same database", async () => {
    arrivals.length = 0;
    const a = client({ requestsPerSecond: 5, timeoutMs: 10_000 });
    const b = client({ requestsPerSecond: 5, timeoutMs: 10_000 });
    const profile = `${url}/index.php?action=profile;u=1`;
    const started = performance.now();
    const results = await Promise.all(
      [...Array(5)].flatMap(() => [a.fetchPage(profile), b.fetchPage(profile)]),
    );
    expect(results.map((r) => r.outcome + (r.error ?? ""))).toEqual(Array(10).fill("ok"));
    expect(arrivals).toHaveLength(10);
    const sorted = [...arrivals].sort((x, y) => x - y);
    // 5 requests/second shared: the 10th slot is 1.8 s after the first, and a request never arrives
    // before its slot (a loaded machine only delays arrivals). Two separate limits of 5/s would send
    // all 10 within 0.8 s of the start.
    expect(sorted[9] - started).toBeGreaterThan(1750);
  });

  it("hands out distinct slots a full gap apart to concurrent reservations", async () => {
    const { reserveSlot } = await import("./hosts.repo.ts");
    const slots = await Promise.all(
      [...Array(20)].map(() => reserveSlot(merit.core.db.orm, "slots.test", 250)),
    );
    const times = slots.map((r) => r.slot.getTime()).sort((x, y) => x - y);
    expect(new Set(times).size).toBe(20);
    // At least a full gap apart (ms truncation of microsecond timestamps allows 249).
    expect(Math.min(...times.slice(1).map((t, i) => t - times[i]))).toBeGreaterThanOrEqual(249);
    expect(slots.filter((r) => r.waitMs > 0).length).toBeGreaterThanOrEqual(18);
  });

  it("retries transient failures with backoff and classifies error pages without parsing them", async () => {
    const c = client({ requestsPerSecond: 100, maxRetries: 2 });
    expect((await c.fetchPage(`${url}/index.php?action=profile;u=1`)).outcome).toBe("ok");
    sim.setFault("error500", 2);
    const recovered = await c.fetchPage(`${url}/index.php?action=profile;u=1`);
    expect(recovered).toMatchObject({ outcome: "ok", attempts: 3 });
    sim.setFault("cloudflare", 3);
    const blocked = await c.fetchPage(`${url}/index.php?action=profile;u=1`);
    expect(blocked).toMatchObject({ outcome: "cloudflare", attempts: 3, html: null });
    const missing = await c.fetchPage(`${url}/index.php?action=profile;u=404`);
    expect(missing).toMatchObject({ outcome: "not-found", attempts: 1 });
    sim.setFault("timeout", 1);
    const slow = await client({ requestsPerSecond: 100, timeoutMs: 200 }).fetchPage(
      `${url}/index.php?action=profile;u=1`,
    );
    expect(slow.outcome).toBe("timeout");
    sim.setFault("none");
  });

  it("opens the circuit after consecutive failures and lets one probe through after the cooldown", async () => {
    const c = client({ requestsPerSecond: 100, breakerThreshold: 3, breakerCooldownSeconds: 60 });
    const page = `${url}/index.php?action=profile;u=1`;
    expect((await c.fetchPage(page)).outcome).toBe("ok");
    sim.setFault("error500", 1000);
    for (let i = 0; i < 3; i++) expect((await c.fetchPage(page)).outcome).toBe("error");
    arrivals.length = 0;
    expect((await c.fetchPage(page)).outcome).toBe("circuit-open");
    expect(arrivals).toHaveLength(0);
    // Half-open: of two callers at once (two workers), exactly one probe reaches the forum. The
    // forum is still down, so the failed probe opens the circuit again: the other caller is refused
    // whether it looks before or after the probe ends (a successful probe would close the circuit,
    // and a caller arriving after it would rightly go through, so that cannot be asserted here).
    clock.advance(61_000);
    const [first, second] = await Promise.all([
      c.fetchPage(page),
      client({ requestsPerSecond: 100, breakerThreshold: 3, breakerCooldownSeconds: 60 }).fetchPage(page),
    ]);
    expect(arrivals).toHaveLength(1);
    const [refused, probe] = [first, second].sort((x, y) => x.attempts - y.attempts);
    expect([refused.attempts, refused.outcome, probe.attempts]).toEqual([0, "circuit-open", 1]);
    expect(probe.outcome).not.toBe("ok");
    // After the next cooldown a probe finds the forum back, and the circuit closes behind it.
    clock.advance(61_000);
    sim.setFault("none");
    expect((await c.fetchPage(page)).outcome).toBe("ok");
    expect((await c.fetchPage(page)).outcome).toBe("ok");
    expect(arrivals).toHaveLength(3);
  });

  it("gives up at once when its signal is aborted, in a backoff or a hung request, and blames no one", async () => {
    const page = `${url}/index.php?action=profile;u=1`;
    const host = new URL(url).host;
    const c = client({ requestsPerSecond: 100, maxRetries: 3, retryBaseMs: 20_000, breakerThreshold: 1000 });
    expect((await c.fetchPage(page)).outcome).toBe("ok");

    // In a backoff: one failure is recorded, then the 10-30 s sleep is cut short.
    sim.setFault("error500", 1000);
    const backingOff = new AbortController();
    const started = performance.now();
    const first = c.fetchPage(page, backingOff.signal);
    setTimeout(() => backingOff.abort(new Error("shutting down")), 500);
    await expect(first).rejects.toThrow("shutting down");
    expect(performance.now() - started).toBeLessThan(5000);
    expect((await readBreaker(merit.core.db.orm, host))?.consecutive_failures).toBe(1);

    // In a hung request: the fetch is cancelled and no failure is counted for it.
    sim.setFault("timeout", 1);
    const hung = new AbortController();
    const second = c.fetchPage(page, hung.signal);
    setTimeout(() => hung.abort(new Error("shutting down")), 500);
    await expect(second).rejects.toThrow("shutting down");
    expect((await readBreaker(merit.core.db.orm, host))?.consecutive_failures).toBe(1);

    // Already aborted: nothing is requested.
    sim.setFault("none");
    arrivals.length = 0;
    await expect(c.fetchPage(page, AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
    expect(arrivals).toHaveLength(0);
    expect((await c.fetchPage(page)).outcome).toBe("ok");
  });

  it("waits as long as the forum's Retry-After asks before any worker's next request", async () => {
    const page = `${url}/index.php?action=profile;u=1`;
    const waits: number[] = [];
    const c = createForumClient({
      db: merit.core.db,
      clock,
      logger: merit.core.logger,
      settings: settings({
        requestsPerSecond: 100,
        maxRetries: 1,
        retryBaseMs: 1,
        breakerCooldownSeconds: 300,
      }),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    // The simulator's throttle page is a 503 with `Retry-After: 30`.
    sim.setFault("too-fast", 1);
    expect(await c.fetchPage(page)).toMatchObject({ outcome: "ok", attempts: 2 });
    expect(Math.max(...waits)).toBeGreaterThan(29_000);
    // The host's slots stay pushed back for every client; put them back for the other tests.
    const host = new URL(url).host;
    await merit.core.db.orm.execute(sql`UPDATE forum_hosts SET next_slot_at = now() WHERE host = ${host}`);
  });
});
