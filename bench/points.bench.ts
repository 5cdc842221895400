// Points benchmarks on PostgreSQL, each figure beside a baseline measured in the same run. Run:
//   npm run bench -- --participants 100000 [--per-participant 20] [--seconds 5] [--reuse]
// The machine line and the load average printed with each figure say how noisy the run was.
// Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and (re)creates the
// database merit_bench there. Seeding uses generate_series and the ledger rebuild, so it is fast.
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import Fastify from "fastify";
import pg from "pg";
import { loadConfig } from "../src/config.ts";
import { createUser } from "../src/modules/accounts/accounts.service.ts";
import { createMerit } from "../src/server.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const PARTICIPANTS = flag("participants", 100_000);
const PER = flag("per-participant", 20);
const SECONDS = flag("seconds", 5);
/** --reuse: measure on the merit_bench database of an earlier run (same --participants), skipping the seed. */
const REUSE = args.includes("--reuse");
const CLIENTS = 32;
const baseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const benchUrl = (() => {
  const u = new URL(baseUrl);
  u.pathname = "/merit_bench";
  return u.toString();
})();

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });
function request(
  url: string,
  method = "GET",
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (data) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request(url, { method, agent, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

/** Requests per second with CLIENTS concurrent loops for SECONDS. */
async function throughput(fn: (i: number) => Promise<unknown>): Promise<number> {
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      let i = c;
      while (performance.now() < end) {
        await fn(i);
        i += CLIENTS;
        done += 1;
      }
    }),
  );
  return done / SECONDS;
}

async function latencies(n: number, fn: (i: number) => Promise<unknown>) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  out.sort((a, b) => a - b);
  const q = (p: number) => out[Math.min(out.length - 1, Math.floor(p * out.length))];
  return { median: q(0.5), p99: q(0.99) };
}

const load = () =>
  `[load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}]`;
const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 0);
const ms = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** Seeds merit_bench (see the header) and prints seed, rebuild and verify figures. */
async function seed(merit: Awaited<ReturnType<typeof createMerit>>, now: Date): Promise<string[]> {
  const db = merit.core.db;
  const points = merit.composition.points;
  let t0 = performance.now();
  const boss = await createUser(
    { db, clock: merit.core.clock },
    {
      email: "boss@bench.local",
      username: "boss",
      password: "Bench-password-2026!",
      roles: ["admin", "member"],
      emailConfirmed: true,
    },
  );
  const actor = { userId: boss.id, roles: ["admin" as const], via: "session" as const };
  for (const slug of ["validator", "builder", "community"])
    await points.catalog.createCategory(actor, { name: slug, slug });
  const typeIds: string[] = [];
  for (const [i, cat] of ["validator", "builder", "community"].entries()) {
    const t = await points.catalog.createType(actor, {
      name: `t${i}`,
      slug: `t${i}`,
      category: cat,
      minPoints: 1,
      maxPoints: 1000,
    });
    await points.catalog.createMultiplier(actor, {
      contributionTypeId: t.id,
      value: "1.25",
      validFrom: "2026-01-01T00:00:00Z",
    });
    typeIds.push(t.id);
  }
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  await db.exec(`INSERT INTO users (email, username, referral_code, roles)
    SELECT 'p' || g || '@bench.local', 'p' || g, 'r' || g, ARRAY['member'] FROM generate_series(1, ${PARTICIPANTS}) g`);
  await db.exec(
    `UPDATE users SET hidden = true WHERE username IN (SELECT 'p' || g FROM generate_series(1, ${PARTICIPANTS}, 997) g)`,
  );
  const total = PARTICIPANTS * PER;
  await db.exec(
    `CREATE TEMP TABLE ids AS SELECT row_number() OVER () AS n, id FROM users WHERE username LIKE 'p%'`,
  );
  await db.exec(`INSERT INTO contributions (user_id, contribution_type_id, category_id, points, multiplier_at_creation, global_points,
      contribution_date, created_at)
    SELECT ids.id, t.id, t.category_id, pts, 1.25, pts * 1.25, d, d
    FROM (SELECT g, 1 + (random() * 200)::int AS pts, now() - random() * interval '90 days' AS d,
            1 + floor(random() * ${PARTICIPANTS})::int AS who, floor(random() * 3)::int AS ty
          FROM generate_series(1, ${total}) g) s
    JOIN ids ON ids.n = s.who
    JOIN (SELECT id, category_id, row_number() OVER (ORDER BY slug) - 1 AS k FROM contribution_types) t ON t.k = s.ty`);
  await db.exec(`INSERT INTO ledger_entries (contribution_id, user_id, kind, points_delta, global_delta, count_delta, created_at)
    SELECT id, user_id, 'award', points, global_points, 1, created_at FROM contributions`);
  await points.campaigns.create(actor, {
    slug: "month",
    name: "This month",
    startsAt: monthStart.toISOString(),
    endsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
    pool: { amount: "120000", token: "VTX", decimals: 8 },
    contributionTypes: [typeIds[1]],
  });
  await db.exec("ANALYZE");
  console.log(`Seeded ${PARTICIPANTS} participants, ${total} contributions in ${ms(t0)} ${load()}`);

  t0 = performance.now();
  const rebuilt = await points.ledger.rebuild();
  console.log(`points rebuild: ${ms(t0)} (${rebuilt.totals} totals, ${rebuilt.bands} bands) ${load()}`);
  // What autovacuum does on a live database: sets the visibility map so boards read from indexes only.
  await db.exec("VACUUM ANALYZE");
  t0 = performance.now();
  const verify = await points.ledger.verify();
  console.log(`points verify:  ${ms(t0)} (${verify.differences} differences) ${load()}`);

  return typeIds;
}

async function main() {
  console.log(
    `Machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
      `Node ${process.version}; shared with other workloads ${load()}`,
  );
  if (!REUSE) {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query("DROP DATABASE IF EXISTS merit_bench WITH (FORCE)");
    await admin.query("CREATE DATABASE merit_bench");
    await admin.end();
  }

  const config = loadConfig({
    ...process.env,
    DATABASE_URL: benchUrl,
    SEED_DEMO: "false",
    LOG_LEVEL: "silent",
    NODE_ENV: "test",
    DATA_DIR: "/tmp/merit-bench",
    SECRET_KEY: "bench-secret-key-that-is-long-enough-0123456789",
  });
  const merit = await createMerit({ config, role: "api", startJobs: false });
  const db = merit.core.db;
  const points = merit.composition.points;

  const now = new Date();
  let t0 = performance.now();
  const total = PARTICIPANTS * PER;
  const typeIds = REUSE
    ? (
        await db.query<{ id: string }>(
          "SELECT id FROM contribution_types WHERE slug IN ('t0','t1','t2') ORDER BY slug",
        )
      ).map((r) => r.id)
    : await seed(merit, now);
  if (REUSE) {
    // A worker would have folded the band moves of the earlier run's award load by now.
    const folded = await merit.composition.points.ledger.foldBands();
    // ...and autovacuum would have cleaned up after that award load (index-only scans need it).
    const t1 = performance.now();
    await db.exec("VACUUM ANALYZE");
    console.log(
      `Reusing merit_bench (${PARTICIPANTS} participants, ${total} contributions; ${folded} band moves folded, vacuumed in ${ms(t1)})`,
    );
  }

  const address = await merit.app.listen({ port: 0, host: "127.0.0.1" });
  const bare = Fastify();
  const fixed = {
    items: Array.from({ length: 50 }, (_, i) => ({
      rank: i + 1,
      userId: "00000000-0000-0000-0000-000000000000",
      username: `p${i}`,
      displayName: null,
      points: "1234.5",
      contributions: 12,
    })),
    total: PARTICIPANTS,
  };
  bare.get("/fixed", async () => fixed);
  await bare.listen({ port: 0, host: "127.0.0.1" });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/fixed`;

  const baseline = await throughput(() => request(bareUrl));
  console.log(
    `\nbare Fastify, fixed 50 rows, ${CLIENTS} clients: ${fmt(baseline)} req/s (baseline) ${load()}`,
  );
  for (const q of [
    "board=global",
    "board=global&period=week",
    "board=global&period=month",
    "board=category:builder",
    "board=campaign:month",
  ]) {
    let failed = 0;
    const r = await throughput(async () => {
      const res = await request(`${address}/api/leaderboard?${q}&limit=50`);
      if (res.status !== 200) failed += 1;
    });
    console.log(
      `  top-50 ${q.padEnd(28)} ${fmt(r)} req/s = ${(r / baseline).toFixed(2)}x (target >= 0.5x)${failed ? `, ${failed} FAILED` : ""} ${load()}`,
    );
  }

  const rank = await latencies(500, (i) =>
    request(`${address}/api/leaderboard/rank?user=p${1 + ((i * 7919) % PARTICIPANTS)}`),
  );
  const health = await latencies(500, () => request(`${address}/healthz`));
  console.log(
    `\nrank lookup via API: median ${fmt(rank.median)} ms, p99 ${fmt(rank.p99)} ms (target <= 5 / 20); bare /healthz median ${fmt(health.median)} ms ${load()}`,
  );

  const login = await request(`${address}/api/auth/login`, "POST", {
    login: "boss",
    password: "Bench-password-2026!",
  });
  const token = login.status === 200 ? (JSON.parse(login.body) as { accessToken: string }).accessToken : null;
  const raw = new pg.Pool({ connectionString: benchUrl, max: CLIENTS });
  await raw.query("DROP TABLE IF EXISTS raw_rows, raw_totals");
  await raw.query(
    "CREATE TABLE raw_rows (id bigserial PRIMARY KEY, user_id uuid, points numeric, at timestamptz DEFAULT now())",
  );
  await raw.query("CREATE TABLE raw_totals (user_id uuid PRIMARY KEY, points numeric NOT NULL)");
  await raw.query("INSERT INTO raw_totals SELECT id, 0 FROM users WHERE username LIKE 'p%'");
  const ids = (
    await raw.query<{ id: string }>("SELECT id FROM users WHERE username LIKE 'p%' LIMIT 10000")
  ).rows.map((r) => r.id);
  const ceiling = await throughput(async (i) => {
    const c = await raw.connect();
    try {
      await c.query("BEGIN");
      await c.query("INSERT INTO raw_rows (user_id, points) VALUES ($1, $2)", [ids[i % ids.length], "12.5"]);
      await c.query("UPDATE raw_totals SET points = points + $2 WHERE user_id = $1", [
        ids[i % ids.length],
        "12.5",
      ]);
      await c.query("COMMIT");
    } finally {
      c.release();
    }
  });
  console.log(
    `\nraw SQL ceiling (INSERT + UPDATE per award, ${CLIENTS} clients): ${fmt(ceiling)} awards/s (baseline) ${load()}`,
  );
  if (token) {
    let failures = 0;
    const api = await throughput(async (i) => {
      const r = await request(
        `${address}/api/contributions`,
        "POST",
        { userId: ids[i % ids.length], contributionTypeId: typeIds[1], points: 10 },
        token,
      );
      if (r.status !== 201) failures += 1;
    });
    console.log(
      `  awards via API (all boards current): ${fmt(api)} awards/s = ${(api / ceiling).toFixed(2)}x (target >= 0.5x), ${failures} failures ${load()}`,
    );
  } else {
    console.log(`  awards via API skipped: sign-in failed (${login.status})`);
  }
  await raw.end();

  // Each request asks for a range one hour later than the one before: a repeated range would be
  // served from the page cache until the next write, and this measures the query.
  const rangeAt = (i: number, days: number) =>
    new Date(now.getTime() - days * 86_400_000 + i * 3_600_000).toISOString();
  const custom = await latencies(20, (i) =>
    request(
      `${address}/api/leaderboard?board=global&period=custom&from=${rangeAt(i, 30)}&to=${rangeAt(i, 16)}&limit=50`,
    ),
  );
  console.log(
    `\ncustom range (2 weeks of ${total} contributions): median ${fmt(custom.median)} ms, p99 ${fmt(custom.p99)} ms (target p99 <= 1000) ${load()}`,
  );
  if (token) {
    // One past range read by everyone (last month's results, say) while awards dated now keep
    // arriving from one writer: those awards fall outside the range, so its cached page survives them.
    const pastRange = `${address}/api/leaderboard?board=global&period=custom&from=${rangeAt(0, 44)}&to=${rangeAt(0, 30)}&limit=50`;
    let writing = true;
    let written = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const body = { userId: ids[i % ids.length], contributionTypeId: typeIds[1], points: 10 };
        if ((await request(`${address}/api/contributions`, "POST", body, token)).status === 201) written += 1;
      }
    })();
    const started = performance.now();
    const repeated = await throughput(() => request(pastRange));
    writing = false;
    await writer;
    const awardRate = written / ((performance.now() - started) / 1000);
    console.log(
      `  the same past range, ${CLIENTS} clients, beside awards dated now (${fmt(awardRate)}/s): ${fmt(repeated)} req/s = ${(repeated / baseline).toFixed(2)}x ${load()}`,
    );
  }
  t0 = performance.now();
  const v2 = await points.ledger.verify();
  console.log(`points verify after the award load: ${ms(t0)} (${v2.differences} differences) ${load()}`);
  console.log(
    `server RSS (bench and server share this process): ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB (target <= 512)`,
  );

  await bare.close();
  await merit.close();
  agent.destroy();
}

await main();
