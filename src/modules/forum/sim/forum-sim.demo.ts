// Background chatter for demos: a few members who post now and then, some with campaign signatures.
import type { ForumSim } from "./forum-sim.server.ts";

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
];

const LINES = [
  "I have been running a full node for a while now and the sync time keeps improving.",
  "Fees were low this weekend, a good time to consolidate small outputs.",
  "[quote author=node_runner]Did anyone try the new release?[/quote]Yes, upgraded yesterday, no issues so far.",
  "Good point. Self-custody is still the part most newcomers skip.",
  "Lightning channels opened fine here, routing is slowly getting better.",
  "Thanks for the write-up, bookmarking this thread.",
];

export interface DemoActivity {
  stop(): void;
}

/** Adds the demo members (if missing) and makes one of them post every `intervalMs`. */
export function startDemoActivity(sim: ForumSim, options: { intervalMs: number }): DemoActivity {
  for (const member of DEMO_MEMBERS) {
    if (!sim.members.has(member.id)) sim.addMember(member);
  }
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
