import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher.ts";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("batcher", () => {
  it("runs a lone item at once and combines the items that arrive while a batch runs", async () => {
    const batches: number[][] = [];
    const b = createBatcher(
      async (items: number[]) => {
        batches.push(items);
        await tick();
        return items.map((i) => i * 10);
      },
      { maxBatch: 3, concurrency: 1 },
    );
    expect(await b.submit(1)).toBe(10);
    const out = await Promise.all([2, 3, 4, 5, 6, 7].map((i) => b.submit(i)));
    expect(out).toEqual([20, 30, 40, 50, 60, 70]);
    // The lone item ran alone; the burst queued behind the running batch, at most three per batch,
    // in arrival order.
    expect(batches[0]).toEqual([1]);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches.every((x) => x.length <= 3)).toBe(true);
    expect(batches.length).toBeLessThanOrEqual(4);
  });

  it("keeps at most `concurrency` batches in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const b = createBatcher(
      async (items: number[]) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await tick();
        inFlight--;
        return items;
      },
      { maxBatch: 2, concurrency: 2 },
    );
    await Promise.all(Array.from({ length: 20 }, (_, i) => b.submit(i)));
    expect(most).toBe(2);
  });

  it("re-runs a failed batch one item at a time, so only the bad item's caller gets the error", async () => {
    const b = createBatcher(
      async (items: number[]) => {
        await tick();
        if (items.includes(13)) throw new Error(`unlucky batch of ${items.length}`);
        return items.map(String);
      },
      { maxBatch: 10, concurrency: 1 },
    );
    const first = b.submit(0);
    const burst = [11, 12, 13, 14].map((i) => b.submit(i));
    const settled = await Promise.allSettled([first, ...burst]);
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message))).toEqual([
      "0",
      "11",
      "12",
      "unlucky batch of 1",
      "14",
    ]);
  });

  it("refuses a run that returns the wrong number of results", async () => {
    const b = createBatcher(async (_items: number[]) => [], { maxBatch: 5, concurrency: 1 });
    await expect(b.submit(1)).rejects.toThrow("batch returned 0 results for 1");
  });
});
