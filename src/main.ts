// The `merit` command line.
import { writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { ConfigError, loadConfig } from "./config.ts";
import { systemClock } from "./core/clock.ts";
import { openDatabase } from "./core/db/client.ts";
import { migrate } from "./core/db/migrate.ts";
import { buildWeb, isWebBuildStale } from "./core/http/web-build.ts";
import type { ProcessRole } from "./core/jobs/job-runner.ts";
import { seedDemoData } from "./core/module.ts";
import { DEMO_ADMIN } from "./modules/accounts/accounts.seed.ts";
import { createUser } from "./modules/accounts/accounts.service.ts";
import { registerForumCommands } from "./modules/forum/forum.cli.ts";
import { registerPointsCommands } from "./modules/points/points.cli.ts";
import { createMerit, ROOT_DIR, VERSION } from "./server.ts";

function config() {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

const program = new Command("merit").description("Merit: community incentive programs").version(VERSION);

program
  .command("serve", { isDefault: true })
  .description("Run the API and the job workers (or one of them with --role)")
  .addOption(
    new Option("--role <role>", "what this process runs").choices(["all", "api", "worker"]).default("all"),
  )
  .option("--build-web-if-stale", "build the web app first if it is missing or out of date")
  .action(async (opts: { role: ProcessRole; buildWebIfStale?: boolean }) => {
    const cfg = config();
    if (opts.buildWebIfStale && opts.role !== "worker" && isWebBuildStale(ROOT_DIR)) {
      console.log("Building the web app (first start or sources changed)...");
      buildWeb(ROOT_DIR);
    }
    const t0 = performance.now();
    const merit = await createMerit({ config: cfg, role: opts.role });
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      merit.core.logger.info({ signal }, "shutting down: finishing running jobs, closing the database");
      const force = setTimeout(() => {
        console.error("Shutdown took longer than 15 s; exiting anyway");
        process.exit(1);
      }, 15_000);
      force.unref();
      await merit.close();
      process.exit(0);
    };
    process.on("SIGINT", () => void shutdown("SIGINT"));
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
    if (opts.role === "worker") {
      console.log(`Merit worker running (database: ${merit.core.db.kind}). Ctrl-C stops it.`);
      return;
    }
    await merit.app.listen({ port: cfg.port, host: cfg.host });
    const ms = Math.round(performance.now() - t0);
    const url = `http://localhost:${cfg.port}`;
    console.log(`\nMerit ${VERSION} is running at ${url} (ready in ${ms} ms, role ${opts.role})`);
    console.log(
      `  database: ${merit.core.db.kind === "embedded" ? `embedded PGlite in ${cfg.dataDir}` : "PostgreSQL"}`,
    );
    console.log(`  API docs: ${url}/docs`);
    if (cfg.seedDemo && cfg.nodeEnv !== "production") {
      console.log(
        `  DEMO MODE: sign in as ${DEMO_ADMIN.username} / ${DEMO_ADMIN.password} (never expose a demo instance)`,
      );
    }
    console.log("  Ctrl-C stops it; data is kept.\n");
  });

program
  .command("migrate")
  .description("Apply pending database migrations and exit")
  .action(async () => {
    const cfg = config();
    const db = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
    try {
      const applied = await migrate(db);
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
    } finally {
      await db.close();
    }
  });

program
  .command("seed")
  .description("Add demo data")
  .requiredOption("--demo", "seed the demo data set")
  .action(async () => {
    const cfg = config();
    const merit = await createMerit({ config: { ...cfg, seedDemo: false }, startJobs: false });
    try {
      await seedDemoData(merit.composition.modules, (name) => process.stdout.write(`  seeding ${name}\n`));
      process.stdout.write("  done\n");
    } finally {
      await merit.close();
    }
  });

const user = program.command("user").description("Manage accounts");
user
  .command("create")
  .description("Create a confirmed account")
  .requiredOption("--email <email>")
  .requiredOption("--username <username>")
  .requiredOption("--password <password>")
  .option("--admin", "give it the admin role")
  .action(async (opts: { email: string; username: string; password: string; admin?: boolean }) => {
    const cfg = config();
    const db = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
    try {
      await migrate(db);
      const u = await createUser(
        { db, clock: systemClock },
        { ...opts, roles: opts.admin ? ["admin", "member"] : ["member"], emailConfirmed: true },
      );
      console.log(`Created ${u.username} (${u.id})${opts.admin ? " with the admin role" : ""}`);
    } catch (err) {
      console.error((err as Error).message);
      process.exitCode = 1;
    } finally {
      await db.close();
    }
  });

program
  .command("openapi")
  .description("Write the OpenAPI document")
  .option("--out <file>", "file to write (default: stdout)")
  .action(async (opts: { out?: string }) => {
    const cfg = loadConfig({ ...process.env, LOG_LEVEL: "silent", SEED_DEMO: "false" });
    const db = await openDatabase({ databaseUrl: null, dataDir: cfg.dataDir, inMemory: true });
    const merit = await createMerit({ config: cfg, db, startJobs: false });
    const doc = JSON.stringify(merit.app.swagger(), null, 2);
    await merit.close();
    await db.close();
    if (opts.out) writeFileSync(opts.out, `${doc}\n`);
    else console.log(doc);
  });

registerForumCommands(program);
registerPointsCommands(program);

await program.parseAsync(process.argv);
