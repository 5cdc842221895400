// A restart of the server and the database keeps totals, ranks, shares and the ledger.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../config.ts";
import { type Clock, ManualClock } from "../../core/clock.ts";
import { type Database, openDatabase, rows, sql } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { createMerit, type Merit } from "../../server.ts";
import { adminActor } from "./points.test-support.ts";
import {
  expectBoardIsLive,
  expectLedgerClean,
  fullBoard,
  getJson,
  type Page,
} from "./robustness.test-support.ts";

describe("restart", () => {
  const info = inject("templateDb");
  const clock = new ManualClock("2026-05-13T12:00:00Z"); // a Wednesday
  let dataDir = "";
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "merit-restart-"));
  });
  const pgName = `merit_test_restart_${randomBytes(5).toString("hex")}`;

  const pgUrl = (database: string) => {
    if (info.kind !== "postgres") throw new Error("not PostgreSQL");
    const u = new URL(info.url);
    u.pathname = `/${database}`;
    return u.toString();
  };
  async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: info.kind === "postgres" ? info.url : "" });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  /** Opens the same database again (a file-backed PGlite data dir, or a PostgreSQL database of our own). */
  async function open(first: boolean): Promise<Database> {
    if (info.kind === "postgres") {
      if (first) await admin((c) => c.query(`CREATE DATABASE ${pgName} TEMPLATE ${info.template}`));
      return openDatabase({ databaseUrl: pgUrl(pgName), dataDir, poolSize: 3 });
    }
    return openDatabase({
      databaseUrl: null,
      dataDir,
      loadDataDir: first ? new Blob([readFileSync(info.dumpFile)]) : undefined,
    });
  }
  async function start(db: Database, c: Clock): Promise<Merit> {
    const config = loadConfig({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      DATA_DIR: dataDir,
      SEED_DEMO: "false",
      SECRET_KEY: "test-secret-key-that-is-long-enough-0123456789",
      PUBLIC_URL: "http://merit.test",
    });
    return createMerit({ config, db, clock: c, startJobs: false });
  }

  afterAll(async () => {
    if (info.kind === "postgres") {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`));
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps totals, ranks, shares and the ledger across a restart of the server and the database", async () => {
    let db = await open(true);
    let m = await start(db, clock);
    const QUERIES = [
      "board=global",
      "board=global&period=week",
      "board=global&period=month",
      "board=campaign:may",
      "board=category:durable",
    ];
    const before: Record<string, Page> = {};
    let ledgerBefore: unknown;
    const ids: Record<string, string> = {};
    try {
      const users = ["da", "db", "dc", "dd", "de"];
      for (const u of users) {
        const r = await rows<{ id: string }>(
          m.core.db.orm,
          sql`INSERT INTO users (email, username, display_name, referral_code, roles)
              VALUES (${`${u}@test.local`}, ${u}, ${u.toUpperCase()}, ${`ref-${u}`}, ARRAY['member']::text[]) RETURNING id`,
        );
        ids[u] = r[0].id;
      }
      const root = (
        await rows<{ id: string }>(
          m.core.db.orm,
          sql`INSERT INTO users (email, username, referral_code, roles)
              VALUES ('droot@test.local', 'droot', 'ref-droot', ARRAY['admin','member']::text[]) RETURNING id`,
        )
      )[0].id;
      const actor = adminActor(root);
      const svc = m.composition.points;
      await svc.catalog.createCategory(actor, { name: "Durable", slug: "durable" });
      const type = await svc.catalog.createType(actor, {
        name: "Durable",
        slug: "durable",
        category: "durable",
        minPoints: 1,
        maxPoints: 100,
      });
      await svc.catalog.createMultiplier(actor, {
        contributionTypeId: type.id,
        value: "1.25",
        validFrom: "2026-05-01T00:00:00Z",
      });
      await svc.campaigns.create(actor, {
        slug: "may",
        name: "May",
        startsAt: "2026-05-01T00:00:00Z",
        endsAt: "2026-06-01T00:00:00Z",
        pool: { amount: "99.99", token: "VTX", decimals: 2 },
      });
      const made = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          svc.contributions.award(actor, {
            username: users[i % users.length],
            contributionTypeId: type.id,
            points: 1 + ((i * 17) % 100),
            contributionDate: new Date(clock.now().getTime() - ((i * 29) % 500) * 3_600_000).toISOString(),
          }),
        ),
      );
      await svc.contributions.revoke(actor, made[3].id, "dup");
      await svc.contributions.correct(actor, made[4].id, 99, "recount");
      for (const q of QUERIES) before[q] = await fullBoard(m, q);
      expect(before["board=campaign:may"].items.length).toBeGreaterThan(0);
      ledgerBefore = await svc.queries.ledger(actor, { limit: 100 });
      await expectLedgerClean(m);
    } finally {
      await m.close();
      await db.close();
    }

    db = await open(false);
    m = await start(db, clock);
    try {
      for (const q of QUERIES) expect(await fullBoard(m, q), q).toEqual(before[q]);
      const root = (
        await rows<{ id: string }>(m.core.db.orm, sql`SELECT id FROM users WHERE username = 'droot'`)
      )[0].id;
      const actor = adminActor(root);
      expect(await m.composition.points.queries.ledger(actor, { limit: 100 })).toEqual(ledgerBefore);
      for (const i of before["board=global"].items) {
        const r = await getJson<{ rank: number; points: string }>(
          m,
          `/api/leaderboard/rank?user=${i.username}`,
        );
        expect([r.rank, r.points]).toEqual([i.rank, i.points]);
      }
      await expectLedgerClean(m);
      // The restarted server keeps writing on top of what survived.
      const type = (
        await rows<{ id: string }>(
          m.core.db.orm,
          sql`SELECT id FROM contribution_types WHERE slug = 'durable'`,
        )
      )[0].id;
      await m.composition.points.contributions.award(actor, {
        userId: ids.de,
        contributionTypeId: type,
        points: 100,
        contributionDate: "2026-05-13T11:00:00Z",
      });
      const global = await expectBoardIsLive(m, "board=global");
      const de = before["board=global"].items.find((i) => i.username === "de")!;
      expect(global.items.find((i) => i.username === "de")?.points).toBe(
        new Decimal(de.points).plus(125).toFixed(),
      );
      await expectLedgerClean(m);
    } finally {
      await m.close();
      await db.close();
    }
  });
});
