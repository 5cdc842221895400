// Parse throughput on the real saved Bitcointalk pages (one core, ~3 s). Run:
//   npx tsx bench/forum-parse.bench.ts [seconds]
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
const seconds = Number(process.argv[2] ?? 3);

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

/** Decodes and parses the cases round-robin until the time is up; returns pages per second. */
function pagesPerSecond(cases: Case[], budgetMs: number): number {
  let pages = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (const c of cases) c.parse(decodePage(c.bytes));
    pages += cases.length;
    elapsed = performance.now() - start;
  }
  return pages / (elapsed / 1000);
}

function line(label: string, cases: Case[], rate: number): void {
  const kb = cases.reduce((sum, c) => sum + c.bytes.byteLength, 0) / cases.length / 1024;
  const ms = (1000 / rate).toFixed(2);
  console.log(
    `  ${label.padEnd(20)} ${rate.toFixed(0).padStart(6)} pages/s  ${ms.padStart(6)} ms/page  (${cases.length} pages, avg ${kb.toFixed(0)} KB)`,
  );
}

const budgetMs = seconds * 1000;
const real = realCases();
const simulated = simulatedHistoryCases();
pagesPerSecond([...real, ...simulated], 300); // warm-up: JIT and lazy module state

const kinds = [...new Set(real.map((c) => c.kind))];
console.log(`forum page parsing, one core, ~${seconds} s (decode windows-1252 + parse)`);
console.log("real fixture pages:");
for (const kind of kinds) {
  const cases = real.filter((c) => c.kind === kind);
  line(kind, cases, pagesPerSecond(cases, (budgetMs * 0.6) / kinds.length));
}
const overall = pagesPerSecond(real, budgetMs * 0.25);
line("overall (real)", real, overall);
console.log("no saved post-history page exists; simulator-rendered instead:");
line("posts (simulated)", simulated, pagesPerSecond(simulated, budgetMs * 0.15));
console.log(
  `target >= ${TARGET_PAGES_PER_SECOND} pages/s overall on real pages: ${overall >= TARGET_PAGES_PER_SECOND ? "met" : "NOT met"}`,
);
