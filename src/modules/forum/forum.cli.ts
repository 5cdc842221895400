// `merit forum parse` (parse a saved page to JSON) and `merit forum-sim` (run the forum simulator).
import { readFile } from "node:fs/promises";
import { type Command, InvalidArgumentError, Option } from "commander";
import { decodePage } from "./bitcointalk/bitcointalk-page.ts";
import { parsePostsPage } from "./bitcointalk/posts.parser.ts";
import { parseProfilePage } from "./bitcointalk/profile.parser.ts";
import { parseTopicPage } from "./bitcointalk/topic.parser.ts";
import { startDemoActivity } from "./sim/forum-sim.demo.ts";
import { createForumSim } from "./sim/forum-sim.server.ts";

export const PAGE_KINDS = ["profile", "posts", "topic"] as const;
export type PageKindArg = (typeof PAGE_KINDS)[number];

/** Parses a saved page's raw bytes (windows-1252) with the parser for `kind`. */
export function parseSavedPage(kind: PageKindArg, bytes: Uint8Array): unknown {
  const html = decodePage(bytes);
  switch (kind) {
    case "profile":
      return parseProfilePage(html);
    case "posts":
      return parsePostsPage(html);
    case "topic":
      return parseTopicPage(html);
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("must be 0-65535");
  return port;
}

/** Adds `forum parse` and `forum-sim` to the merit CLI. */
export function registerForumCommands(program: Command): void {
  const forum = program.command("forum").description("Bitcointalk tools");

  forum
    .command("parse")
    .description("parse a saved Bitcointalk page and print JSON (dates in ISO 8601 UTC)")
    .addOption(new Option("--kind <kind>", "page kind").choices(PAGE_KINDS).makeOptionMandatory())
    .argument("<file>", "saved page, raw bytes as served by the forum")
    .action(async (file: string, options: { kind: PageKindArg }) => {
      const result = parseSavedPage(options.kind, await readFile(file));
      // Date#toJSON already prints ISO 8601 in UTC.
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });

  program
    .command("forum-sim")
    .description("run an in-memory Bitcointalk simulator until interrupted")
    .requiredOption("--port <port>", "port to listen on (0 = any free port)", parsePort)
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--demo", "keep a few demo members posting", false)
    .action(async (options: { port: number; host: string; demo: boolean }) => {
      const sim = createForumSim();
      const { url } = await sim.listen(options.port, options.host);
      const demo = options.demo ? startDemoActivity(sim, { intervalMs: 20_000 }) : null;
      process.stdout.write(`forum simulator listening on ${url} (control API: ${url}/_sim/state)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      demo?.stop();
      await sim.close();
    });
}
