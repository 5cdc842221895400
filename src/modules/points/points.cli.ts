// `merit points verify` and `merit points rebuild`: recompute every total from the ledger.
import type { Command } from "commander";
import { loadConfig } from "../../config.ts";
import { createMerit } from "../../server.ts";

async function withPoints<T>(
  fn: (points: Awaited<ReturnType<typeof createMerit>>["composition"]["points"]) => Promise<T>,
) {
  const cfg = loadConfig({ ...process.env, SEED_DEMO: "false" });
  const merit = await createMerit({ config: cfg, startJobs: false });
  try {
    return await fn(merit.composition.points);
  } finally {
    await merit.close();
  }
}

/** Adds the `points` command group. */
export function registerPointsCommands(program: Command): void {
  const points = program.command("points").description("Points ledger maintenance");
  points
    .command("verify")
    .description("Recompute every total from the ledger and report differences from the live totals")
    .option("--limit <n>", "differences to print", "20")
    .action(async (opts: { limit: string }) => {
      const report = await withPoints((p) => p.ledger.verify(Number(opts.limit)));
      if (report.differences === 0) {
        console.log(`Ledger and totals agree (${report.ms} ms).`);
        return;
      }
      console.log(
        `${report.differences} difference(s) between the ledger and the live totals (${report.ms} ms):`,
      );
      for (const d of report.sample) {
        console.log(
          `  ${d.what} ${d.board ?? ""} ${d.bucket ?? ""} ${d.userId ?? ""}: ledger ${d.expected ?? "-"}, live ${d.actual ?? "-"}`,
        );
      }
      console.log("Run `merit points rebuild` to repair.");
      process.exitCode = 1;
    });
  points
    .command("rebuild")
    .description("Replace every total with what the ledger says (atomic)")
    .action(async () => {
      const r = await withPoints((p) => p.ledger.rebuild());
      console.log(`Rebuilt ${r.totals} totals and ${r.bands} bands from the ledger in ${r.ms} ms.`);
    });
}
