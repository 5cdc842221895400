// Runs one committed migration on a test database put back to the schema before it (the migration
// tests: a database upgraded from an earlier release, holding that release's data).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import type { Database } from "../../src/core/db/client.ts";
import { listMigrations, migrate } from "../../src/core/db/migrate.ts";
import { cloneTemplate, type TestDatabase } from "./template-db.ts";

/** Applies migration `id` alone, through the real migrator; returns the ids it ran. */
export async function applyOneMigration(db: Database, id: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "merit-mig-"));
  const m = listMigrations().find((x) => x.id === id);
  if (!m) throw new Error(`${id} is missing`);
  writeFileSync(path.join(dir, `${id}.sql`), m.statements.join("\n--> statement-breakpoint\n"));
  return migrate(db, dir);
}

/**
 * A migration test file's database (call at the top of the file): a clone of the migrated template
 * put back to the schema before migration `id` by `undo` (SQL that also inserts the earlier release's
 * rows), with `id` marked as not applied. `apply()` then runs that migration alone.
 */
export function useDatabaseBefore(id: string, undo: string) {
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await cloneTemplate(inject("templateDb"));
    await t.db.exec(`${undo};\nDELETE FROM merit_migrations WHERE id = '${id}';`);
  });
  afterAll(() => t?.drop());
  const db = () => {
    if (!t) throw new Error("The database exists only inside the file's tests");
    return t.db;
  };
  return {
    id,
    /** The describe title: the migration and the backend it runs on. */
    title: `migration ${id} (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`,
    get db() {
      return db();
    },
    apply: () => applyOneMigration(db(), id),
  };
}
