// Cross-process points events over LISTEN/NOTIFY (PostgreSQL only): batched after commit, each event
// delivered once to every other process and never echoed back to its sender.
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../core/logger.ts";
import { createPointsEvents, type PointsEvent } from "./points-events.ts";

const url = process.env.TEST_DATABASE_URL;
const logger = createLogger({ logLevel: "silent" });
const a = createPointsEvents();
const b = createPointsEvents();
afterAll(async () => {
  await a.stop();
  await b.stop();
});

const event = (i: number): PointsEvent => ({
  type: "award",
  contributionId: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
  userId: "00000000-0000-0000-0000-000000000001",
  username: `user-${i}`,
  points: "12.5",
  boards: ["global", "category:builder", `campaign:c-${i % 7}`],
  at: "2026-03-01T00:00:00.000Z",
});

describe.skipIf(!url)("points events across processes (PostgreSQL)", () => {
  it("delivers every published event once to the other process, in order, and not to the sender", async () => {
    await a.start(url ?? null, logger);
    await b.start(url ?? null, logger);
    expect(a.crossProcess && b.crossProcess).toBe(true);
    const atA: string[] = [];
    const atB: string[] = [];
    a.subscribe((e) => atA.push(e.contributionId));
    b.subscribe((e) => atB.push(e.contributionId));
    // More than one NOTIFY payload's worth, to exercise batching.
    const sent = [...Array(300)].map((_, i) => event(i));
    for (const e of sent) a.publish(e);
    expect(atA).toEqual(sent.map((e) => e.contributionId)); // local delivery is immediate
    const deadline = Date.now() + 10_000;
    while (atB.length < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(atB).toEqual(sent.map((e) => e.contributionId));
    await new Promise((r) => setTimeout(r, 200));
    expect(atA).toHaveLength(sent.length); // no echo of its own notifications
  });
});
