// The page cache drops exactly the pages a write can change: every period page, and the custom-range
// pages whose range covers the written contribution's date; a value computed across such a write is
// not kept. (The HTTP-level behaviour is in leaderboard-cache.test.ts.)
import { describe, expect, it } from "vitest";
import { createChangeFeed } from "../../core/changes.ts";
import { createPageCache, type Span } from "./leaderboard.caches.ts";
import { createPointsEvents, type PointsEvent } from "./points-events.ts";

const january: Span = { from: Date.parse("2026-01-01T00:00:00Z"), to: Date.parse("2026-02-01T00:00:00Z") };

function setup() {
  const events = createPointsEvents();
  const changes = createChangeFeed();
  const cache = createPageCache<number>({ events, changes });
  let computed = 0;
  const compute = async () => ++computed;
  const award = (contributionDate?: string) => {
    const event: PointsEvent = {
      type: "award",
      contributionId: "c",
      userId: "u",
      username: "u",
      points: "1",
      boards: ["global"],
      at: "2026-02-11T12:00:00.000Z",
      ...(contributionDate ? { contributionDate } : {}),
    };
    events.publish(event);
  };
  return { cache, compute, award, changes, computedCount: () => computed };
}

describe("page cache invalidation", () => {
  it("keeps a range page across writes dated outside it and drops it for one inside", async () => {
    const { cache, compute, award, computedCount } = setup();
    expect(await cache.through("range", compute, january)).toBe(1);
    expect(await cache.through("period", compute)).toBe(2);
    award("2026-02-11T12:00:00.000Z"); // after the range: period pages only
    expect(await cache.through("range", compute, january)).toBe(1);
    expect(await cache.through("period", compute)).toBe(3);
    award("2026-02-01T00:00:00.000Z"); // the range's end is excluded
    expect(await cache.through("range", compute, january)).toBe(1);
    award("2026-01-01T00:00:00.000Z"); // its start is included
    expect(await cache.through("range", compute, january)).toBe(4);
    award("2026-01-31T23:59:59.999Z");
    expect(await cache.through("range", compute, january)).toBe(5);
    expect(computedCount()).toBe(5);
  });

  it("drops every page for an event without a date and for users or boards signals", async () => {
    const { cache, compute, award, changes } = setup();
    expect(await cache.through("range", compute, january)).toBe(1);
    award(); // an older process's event: no contribution date
    expect(await cache.through("range", compute, january)).toBe(2);
    changes.emit("users");
    expect(await cache.through("range", compute, january)).toBe(3);
    changes.emit("boards");
    expect(await cache.through("range", compute, january)).toBe(4);
  });

  it("does not keep or share a computation that a covering write overlapped", async () => {
    const { cache, award } = setup();
    let release!: () => void;
    let runs = 0;
    const slow = () =>
      new Promise<number>((resolve) => {
        runs += 1;
        const run = runs;
        release = () => resolve(run);
      });
    const first = cache.through("range", slow, january);
    award("2026-03-01T00:00:00.000Z"); // outside: the running computation stays shareable
    const joined = cache.through("range", slow, january);
    expect(runs).toBe(1);
    award("2026-01-15T00:00:00.000Z"); // inside: the running computation is stale
    const fresh = cache.through("range", slow, january);
    expect(runs).toBe(2);
    release(); // finishes the second computation
    expect(await fresh).toBe(2);
    // The first run is still pending; the cached value is the fresh one.
    expect(await cache.through("range", slow, january)).toBe(2);
    void first;
    void joined;
  });
});
