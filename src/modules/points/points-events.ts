// Live points events for the SSE stream. Every process emits its own events in-process after commit;
// with PostgreSQL (DATABASE_URL set) each award also sends NOTIFY inside its transaction and every
// process LISTENs, so API processes see awards made by others (events are de-duplicated by origin).
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import pg from "pg";
import type { Logger } from "../../core/logger.ts";

export const POINTS_CHANNEL = "merit_points";

export interface PointsEvent {
  type: "award" | "revocation" | "correction";
  contributionId: string;
  userId: string;
  username: string;
  /** Change of the participant's global points, a decimal string. */
  points: string;
  /** Public board names touched: global, category:<slug>, campaign:<slug>. */
  boards: string[];
  at: string;
}

export interface PointsEvents {
  /** This process's id, carried in NOTIFY payloads so a process ignores its own notifications. */
  readonly origin: string;
  /** True once LISTENing on PostgreSQL: writers then also NOTIFY inside their transaction. */
  readonly crossProcess: boolean;
  publish(event: PointsEvent): void;
  subscribe(listener: (event: PointsEvent) => void): () => void;
  /** LISTENs on PostgreSQL when a connection string is given (no-op otherwise). */
  start(databaseUrl: string | null, logger: Logger): Promise<void>;
  stop(): Promise<void>;
}

/** Creates the in-process bus with optional cross-process delivery over LISTEN/NOTIFY. */
export function createPointsEvents(): PointsEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const origin = randomUUID();
  let client: pg.Client | null = null;
  return {
    origin,
    get crossProcess() {
      return client !== null;
    },
    publish: (event) => emitter.emit("event", event),
    subscribe(listener) {
      emitter.on("event", listener);
      return () => emitter.off("event", listener);
    },
    async start(databaseUrl, logger) {
      if (!databaseUrl || client) return;
      const c = new pg.Client({ connectionString: databaseUrl });
      c.on("error", (err) =>
        logger.warn({ err }, "points LISTEN connection failed; live events from other processes stop"),
      );
      c.on("notification", (msg) => {
        if (msg.channel !== POINTS_CHANNEL || !msg.payload) return;
        try {
          const { origin: from, event } = JSON.parse(msg.payload) as { origin: string; event: PointsEvent };
          if (from !== origin) emitter.emit("event", event);
        } catch (err) {
          logger.warn({ err }, "ignored a malformed points notification");
        }
      });
      await c.connect();
      await c.query(`LISTEN ${POINTS_CHANNEL}`);
      client = c;
    },
    async stop() {
      const c = client;
      client = null;
      await c?.end();
    },
  };
}
