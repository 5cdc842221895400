// Background chatter for demos: a few members who post now and then, some with campaign signatures,
// and the posts they wrote in the days before the demo started.
import type { ForumSim } from "./forum-sim.server.ts";
import type { ForumState, SimPost } from "./forum-sim.state.ts";

const DEMO_MEMBERS = [
  {
    id: 900001,
    name: "satoshi_fan",
    position: "Sr. Member",
    signature:
      "[b][url=https://merit-demo.example/campaign]Merit Demo Campaign[/url][/b] | www.merit-demo.example/join",
  },
  {
    id: 900002,
    name: "LightningLara",
    position: "Full Member",
    signature:
      "[url=https://merit-demo.example/]Merit[/url] [img]https://merit-demo.example/banner.png[/img]",
  },
  { id: 900003, name: "hodl_hannes", position: "Member", signature: "Not your keys, not your coins." },
  { id: 900004, name: "node_runner", position: "Hero Member", signature: null },
];

const DEMO_TOPICS = [
  { topicId: 5_100_001, boardName: "Bitcoin Discussion", subject: "What are you building this year?" },
  { topicId: 5_100_002, boardName: "Development & Technical Discussion", subject: "Running a node on a Pi" },
  { topicId: 5_100_003, boardName: "Off-topic", subject: "Post your setup" },
  { topicId: 5_100_004, boardName: "Economics", subject: "Fee market after the next halving" },
];

const LINES = [
  "I have been running a full node for a while now and the sync time keeps improving.",
  "Fees were low this weekend, a good time to consolidate small outputs.",
  "[quote author=node_runner]Did anyone try the new release?[/quote]Yes, upgraded yesterday, no issues so far.",
  "Good point. Self-custody is still the part most newcomers skip.",
  "Lightning channels opened fine here, routing is slowly getting better.",
  "Thanks for the write-up, bookmarking this thread.",
];

/**
 * When each member wrote in the five days before the demo started, in minutes before it: the first
 * three wear (or are meant to wear) a campaign signature, node_runner only chats.
 */
const HISTORY_MINUTES_AGO: ReadonlyArray<readonly [number, readonly number[]]> = [
  [900001, [7085, 6810, 5830, 5520, 5315, 4390, 4085, 3010, 2735, 2460, 1570, 1290, 185]],
  [900002, [6960, 5640, 4270, 3975, 2830, 1390, 1175]],
  [900003, [6010, 3120, 1500]],
  [900004, [7000, 5900, 4500, 3300, 1700, 600]],
];
const CHATTER_ID = 900004;
// Campaign signature wearers keep to boards a signature campaign counts.
const CAMPAIGN_TOPICS = DEMO_TOPICS.filter((t) => t.boardName !== "Off-topic");

type DemoForumData = Pick<ForumState, "members" | "addMember" | "addPost">;

function addDemoMembers(forum: DemoForumData): void {
  for (const member of DEMO_MEMBERS) {
    if (!forum.members.has(member.id)) forum.addMember(member);
  }
}

/**
 * Adds the demo members and their posts of the five days before `anchor`, oldest first, and returns
 * the posts. The forum numbers message ids, so the same history added first into a fresh forum gets
 * the same ids every time: the demo seed stores these posts as already tracked (forum-demo.ts), and a
 * simulator started later must hand them out again, dated alike, for the scraper to know them.
 */
export function addDemoHistory(forum: DemoForumData, anchor: Date): SimPost[] {
  addDemoMembers(forum);
  // Forum times have whole seconds.
  const base = Math.floor(anchor.getTime() / 1000) * 1000;
  const planned = HISTORY_MINUTES_AGO.flatMap(([memberId, minutes]) =>
    minutes.map((ago, nth) => ({ memberId, ago, nth })),
  ).sort((a, b) => b.ago - a.ago);
  return planned.map((p, i) => {
    const topics = p.memberId === CHATTER_ID ? DEMO_TOPICS : CAMPAIGN_TOPICS;
    const seconds = (p.ago * 7) % 60;
    return forum.addPost({
      memberId: p.memberId,
      ...topics[(p.nth + p.memberId) % topics.length],
      text: LINES[i % LINES.length],
      postedAt: new Date(base - p.ago * 60_000 - seconds * 1000),
    });
  });
}

export interface DemoActivity {
  stop(): void;
}

/** Adds the demo members (if missing) and makes one of them post every `intervalMs`. */
export function startDemoActivity(sim: ForumSim, options: { intervalMs: number }): DemoActivity {
  addDemoMembers(sim);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
  const postOnce = () => {
    const member = pick(DEMO_MEMBERS);
    const topic = pick(DEMO_TOPICS);
    sim.addPost({ memberId: member.id, ...topic, text: pick(LINES) });
  };
  postOnce();
  const timer = setInterval(postOnce, options.intervalMs);
  // Demo chatter alone must not keep a process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
