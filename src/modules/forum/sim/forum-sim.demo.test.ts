import { afterEach, describe, expect, it, vi } from "vitest";
import { startDemoActivity } from "./forum-sim.demo.ts";
import { createForumSim } from "./forum-sim.server.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("startDemoActivity", () => {
  it("adds the demo members, posts on every tick and stops when asked", () => {
    vi.useFakeTimers();
    const sim = createForumSim();
    const demo = startDemoActivity(sim, { intervalMs: 1000 });
    expect(sim.members.size).toBe(4);
    expect(sim.state.posts.size).toBe(1);
    vi.advanceTimersByTime(3000);
    expect(sim.state.posts.size).toBe(4);
    demo.stop();
    vi.advanceTimersByTime(5000);
    expect(sim.state.posts.size).toBe(4);
    // Starting again reuses the existing members instead of failing on duplicate ids.
    startDemoActivity(sim, { intervalMs: 1000 }).stop();
    expect(sim.members.size).toBe(4);
  });
});
