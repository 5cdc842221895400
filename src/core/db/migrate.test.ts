import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cloneTemplate, type TestDatabase } from "../../../test/support/template-db.ts";
import { listMigrations, migrate, pendingMigrations } from "./migrate.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await cloneTemplate(inject("templateDb"));
});
afterAll(() => t?.drop());

describe(`migrations (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("the template has every committed migration applied", async () => {
    expect(await pendingMigrations(t.db)).toEqual([]);
    const applied = await t.db.query<{ id: string }>("SELECT id FROM merit_migrations ORDER BY id");
    expect(applied.map((r) => r.id)).toEqual(listMigrations().map((m) => m.id));
  });

  it("applies only new migrations, once, even when two processes race", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "merit-mig-"));
    for (const m of listMigrations()) {
      writeFileSync(path.join(dir, `${m.id}.sql`), m.statements.join("\n--> statement-breakpoint\n"));
    }
    writeFileSync(
      path.join(dir, "9999_test_extra.sql"),
      "CREATE TABLE test_extra (id int PRIMARY KEY);\n--> statement-breakpoint\nINSERT INTO test_extra VALUES (1);",
    );
    expect(await pendingMigrations(t.db, dir)).toEqual(["9999_test_extra"]);
    const [a, b] = await Promise.all([migrate(t.db, dir), migrate(t.db, dir)]);
    expect([...a, ...b]).toEqual(["9999_test_extra"]);
    expect(await t.db.query("SELECT * FROM test_extra")).toEqual([{ id: 1 }]);
    expect(await migrate(t.db, dir)).toEqual([]);
  });

  it("rolls back a failing migration completely", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "merit-mig-"));
    writeFileSync(
      path.join(dir, "9998_broken.sql"),
      "CREATE TABLE half_done (id int);\n--> statement-breakpoint\nSELECT no_such_function();",
    );
    await expect(migrate(t.db, dir)).rejects.toThrow(/9998_broken failed/);
    const exists = await t.db.query<{ t: string | null }>("SELECT to_regclass('half_done')::text AS t");
    expect(exists[0].t).toBeNull();
  });
});
