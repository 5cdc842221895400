// Runs one committed migration on a test database put back to the schema before it (the migration
// tests: a database upgraded from an earlier release, holding that release's data).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Database } from "../../src/core/db/client.ts";
import { listMigrations, migrate } from "../../src/core/db/migrate.ts";

/** Applies migration `id` alone, through the real migrator; returns the ids it ran. */
export async function applyOneMigration(db: Database, id: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "merit-mig-"));
  const m = listMigrations().find((x) => x.id === id);
  if (!m) throw new Error(`${id} is missing`);
  writeFileSync(path.join(dir, `${id}.sql`), m.statements.join("\n--> statement-breakpoint\n"));
  return migrate(db, dir);
}
