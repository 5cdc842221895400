// Parse throughput on the real saved Bitcointalk pages, one core. Run:
//   npx tsx bench/forum-parse.bench.ts [rounds] [seconds-per-round]
// Each round times every kind for a slice of the budget; the report gives the median round, in
// pages per second of this process's CPU time (user + system) and of wall time. The machine is
// shared: wall time swings with other load, CPU time much less, so compare CPU-time medians.
// There is no saved post-history page, so the "posts" kind uses simulator-rendered pages and is
// reported apart from the real-page total.
import { existsSync } from "node:fs";
import { decodePage } from "../src/modules/forum/bitcointalk/bitcointalk-page.ts";
import { parsePostsPage } from "../src/modules/forum/bitcointalk/posts.parser.ts";
import { parseProfilePage } from "../src/modules/forum/bitcointalk/profile.parser.ts";
import { parseTopicPage } from "../src/modules/forum/bitcointalk/topic.parser.ts";
import { renderPostHistory } from "../src/modules/forum/sim/forum-sim.profile-page.ts";
import { createForumState } from "../src/modules/forum/sim/forum-sim.state.ts";
import { bitcointalkFixturesDir, listFixturePages, readFixtureBytes } from "../test/support/fixtures.ts";

interface Case {
  kind: string;
  name: string;
  bytes: Uint8Array;
  parse: (html: string) => unknown;
}

const TARGET_PAGES_PER_SECOND = 200;
const rounds = Math.max(1, Number(process.argv[2] ?? 5));
const seconds = Number(process.argv[3] ?? 1.5);

function realCases(): Case[] {
  if (!existsSync(bitcointalkFixturesDir())) {
    console.error(`fixtures not found at ${bitcointalkFixturesDir()}`);
    process.exit(1);
  }
  return listFixturePages().flatMap((name): Case[] => {
    const bytes = readFixtureBytes(name);
    if (name.startsWith("profile-")) return [{ kind: "profile", name, bytes, parse: parseProfilePage }];
    // The <head>-only fragment holds no posts; timing it would flatter the topic numbers.
    if (name.startsWith("topic-") && !name.includes("head-fragment")) {
      return [{ kind: "topic", name, bytes, parse: parseTopicPage }];
    }
    return [];
  });
}

function simulatedHistoryCases(): Case[] {
  const now = new Date("2024-05-13T15:42:49Z");
  const state = createForumState({ now: () => now });
  const member = state.addMember({ id: 1, name: "bench" });
  for (let i = 0; i < 60; i++) {
    const text = `Post ${i} [quote author=x]quoted[/quote] ${"some words ".repeat(40)}`;
    state.addPost({
      memberId: 1,
      topicId: 10 + (i % 5),
      text,
      postedAt: new Date(now.getTime() - i * 600_000),
    });
  }
  return [0, 20, 40].map((start) => ({
    kind: "posts (simulated)",
    name: `showPosts start=${start}`,
    bytes: Buffer.from(renderPostHistory(state, member, start), "latin1"),
    parse: parsePostsPage,
  }));
}

interface Rate {
  cpu: number;
  wall: number;
}

/** Decodes and parses the cases round-robin until the CPU budget is spent; returns pages per second. */
function pagesPerSecond(cases: Case[], budgetMs: number): Rate {
  let pages = 0;
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  let cpuMs = 0;
  while (cpuMs < budgetMs) {
    for (const c of cases) c.parse(decodePage(c.bytes));
    pages += cases.length;
    const used = process.cpuUsage(cpuStart);
    cpuMs = (used.user + used.system) / 1000;
  }
  const wallMs = performance.now() - wallStart;
  return { cpu: pages / (cpuMs / 1000), wall: pages / (wallMs / 1000) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function line(label: string, cases: Case[], rates: Rate[]): void {
  const kb = cases.reduce((sum, c) => sum + c.bytes.byteLength, 0) / cases.length / 1024;
  const cpu = median(rates.map((r) => r.cpu));
  const wall = median(rates.map((r) => r.wall));
  const spread = rates.map((r) => r.cpu.toFixed(0)).join(" ");
  console.log(
    `  ${label.padEnd(20)} ${cpu.toFixed(0).padStart(6)} pages/s cpu ${(1000 / cpu).toFixed(2).padStart(6)} ms/page  ${wall.toFixed(0).padStart(6)} pages/s wall  (${cases.length} pages, avg ${kb.toFixed(0)} KB; rounds: ${spread})`,
  );
}

const budgetMs = seconds * 1000;
const real = realCases();
const simulated = simulatedHistoryCases();
pagesPerSecond([...real, ...simulated], 300); // warm-up: JIT and lazy module state

const kinds = [...new Set(real.map((c) => c.kind))];
const groups = [
  ...kinds.map((kind) => ({
    label: kind,
    cases: real.filter((c) => c.kind === kind),
    share: 0.5 / kinds.length,
  })),
  { label: "overall (real)", cases: real, share: 0.35 },
  { label: "posts (simulated)", cases: simulated, share: 0.15 },
];
const rates = groups.map((): Rate[] => []);
for (let round = 0; round < rounds; round++) {
  for (const [i, group] of groups.entries()) {
    rates[i].push(pagesPerSecond(group.cases, budgetMs * group.share));
  }
}

console.log(`forum page parsing, one core, median of ${rounds} rounds of ~${seconds} s CPU (decode + parse)`);
console.log("real fixture pages:");
groups.forEach((group, i) => {
  if (group.label === "posts (simulated)") {
    console.log("no saved post-history page exists; simulator-rendered instead:");
  }
  line(group.label, group.cases, rates[i]);
});
const overall = median(rates[kinds.length].map((r) => r.cpu));
console.log(
  `target >= ${TARGET_PAGES_PER_SECOND} pages/s (cpu) overall on real pages: ${overall >= TARGET_PAGES_PER_SECOND ? "met" : "NOT met"}`,
);
