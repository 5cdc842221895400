// Live points events for the SSE stream and the board caches. Every process emits its own events
// in-process after commit; with PostgreSQL (DATABASE_URL set) every process also LISTENs, and
// published events are sent to the others in batches over NOTIFY after commit (events are
// de-duplicated by origin). NOTIFY is never sent inside an award's transaction: PostgreSQL serialises
// the commits of transactions that notify, which would cap awards at one disk flush each.
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
  /**
   * The contribution's date (ISO): custom-range pages that do not cover it are unaffected. Absent
   * in events from older processes, which then count as touching every range.
   */
  contributionDate?: string;
  /**
   * False when the participant is hidden, banned or deleted at the change: boards leave them out,
   * and the public stream leaves the event out. Absent in events from older processes (sent).
   */
  listed?: boolean;
  at: string;
}

export interface PointsEvents {
  /** This process's id, carried in NOTIFY payloads so a process ignores its own notifications. */
  readonly origin: string;
  /** True once LISTENing on PostgreSQL: published events then also reach other processes. */
  readonly crossProcess: boolean;
  publish(event: PointsEvent): void;
  subscribe(listener: (event: PointsEvent) => void): () => void;
  /** LISTENs on PostgreSQL when a connection string is given (no-op otherwise). */
  start(databaseUrl: string | null, logger: Logger): Promise<void>;
  stop(): Promise<void>;
}

/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7_000;
const FLUSH_MS = 20;

/** Creates the in-process bus with optional cross-process delivery over LISTEN/NOTIFY. */
export function createPointsEvents(): PointsEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const origin = randomUUID();
  let client: pg.Client | null = null;
  let log: Logger | null = null;
  let queue: string[] = [];
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  /** Sends queued events in as few NOTIFYs as fit the payload limit. */
  async function flush(): Promise<void> {
    timer = null;
    const c = client;
    const pending = queue;
    queue = [];
    if (!c) return;
    for (let i = 0; i < pending.length; ) {
      const batch: string[] = [];
      let size = 64;
      while (i < pending.length && (batch.length === 0 || size + pending[i].length + 1 <= MAX_PAYLOAD)) {
        size += pending[i].length + 1;
        batch.push(pending[i++]);
      }
      const payload = `{"origin":${JSON.stringify(origin)},"events":[${batch.join(",")}]}`;
      await c
        .query("SELECT pg_notify($1, $2)", [POINTS_CHANNEL, payload])
        .catch((err) => log?.warn({ err }, "could not tell other processes about points events"));
    }
  }

  return {
    origin,
    get crossProcess() {
      return client !== null;
    },
    publish(event) {
      emitter.emit("event", event);
      if (!client) return;
      const json = JSON.stringify(event);
      if (json.length > MAX_PAYLOAD - 64) return; // a pathological event; others see it on their caches' expiry
      queue.push(json);
      // One flush at a time on the LISTEN connection.
      timer ??= setTimeout(() => {
        flushing = flushing.then(flush);
      }, FLUSH_MS);
    },
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
          const { origin: from, events } = JSON.parse(msg.payload) as {
            origin: string;
            events: PointsEvent[];
          };
          if (from !== origin) for (const event of events) emitter.emit("event", event);
        } catch (err) {
          logger.warn({ err }, "ignored a malformed points notification");
        }
      });
      await c.connect();
      await c.query(`LISTEN ${POINTS_CHANNEL}`);
      client = c;
      log = logger;
    },
    async stop() {
      if (timer) clearTimeout(timer);
      await flushing;
      await flush();
      const c = client;
      client = null;
      await c?.end();
    },
  };
}
