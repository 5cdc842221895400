import { Type } from "typebox";
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import { pendingMigrations } from "../../core/db/migrate.ts";
import type { App } from "../../core/http/app.ts";
import type { Metrics } from "../../core/http/metrics.ts";
import type { JobRunner } from "../../core/jobs/job-runner.ts";

export interface SystemDeps {
  db: Database;
  clock: Clock;
  metrics: Metrics;
  jobs: Pick<JobRunner, "counts">;
  version: string;
  startedAt: Date;
  countUsers(): Promise<number>;
}

const Info = Type.Object({
  name: Type.String(),
  version: Type.String(),
  database: Type.Union([Type.Literal("embedded"), Type.Literal("postgresql")]),
  serverTime: Type.String({ format: "date-time" }),
  uptimeSeconds: Type.Number(),
  counts: Type.Object({ users: Type.Integer(), jobsQueued: Type.Integer(), jobsCompleted: Type.Integer() }),
});

/** Health, readiness, metrics and public instance info. */
export function systemRoutes(deps: SystemDeps) {
  return async (app: App) => {
    app.get(
      "/healthz",
      {
        schema: {
          tags: ["system"],
          summary: "Liveness",
          description: "200 while the process is up; does not touch the database.",
          response: { 200: Type.Object({ status: Type.Literal("ok") }) },
        },
      },
      async () => ({ status: "ok" as const }),
    );

    app.get(
      "/readyz",
      {
        schema: {
          tags: ["system"],
          summary: "Readiness",
          description: "200 when the database answers and every committed migration is applied, else 503.",
          response: {
            200: Type.Object({ status: Type.Literal("ready"), database: Type.String() }),
            503: Type.Object({ status: Type.Literal("unavailable"), reason: Type.String() }),
          },
        },
      },
      async (_request, reply) => {
        try {
          const pending = await pendingMigrations(deps.db);
          if (pending.length > 0) {
            return reply
              .status(503)
              .send({ status: "unavailable", reason: `pending migrations: ${pending.join(", ")}` });
          }
          return { status: "ready" as const, database: deps.db.kind };
        } catch (err) {
          return reply
            .status(503)
            .send({ status: "unavailable", reason: `database: ${(err as Error).message}` });
        }
      },
    );

    app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    });

    app.get(
      "/api/info",
      {
        schema: {
          tags: ["system"],
          summary: "Instance information",
          description: "Public facts about this Merit instance, shown on the home page.",
          response: { 200: Info },
        },
      },
      async () => {
        const counts = await deps.jobs.counts();
        const sum = (states: string[]) =>
          counts.filter((c) => states.includes(c.state)).reduce((n, c) => n + c.count, 0);
        const now = deps.clock.now();
        return {
          name: "Merit",
          version: deps.version,
          database: deps.db.kind,
          serverTime: now.toISOString(),
          uptimeSeconds: Math.round((now.getTime() - deps.startedAt.getTime()) / 1000),
          counts: {
            users: await deps.countUsers(),
            jobsQueued: sum(["created", "retry", "active"]),
            jobsCompleted: sum(["completed"]),
          },
        };
      },
    );
  };
}
