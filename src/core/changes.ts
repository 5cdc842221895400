// Change signals for in-process caches. A module that changes data others cache emits a topic; the
// signal reaches subscribers in this process at once and, through the database triggers of migration
// 0005 (NOTIFY merit_changes), subscribers in every other process sharing the database.
import type { Database } from "./db/client.ts";
import type { Logger } from "./logger.ts";

/** users: a user's visibility or name changed. boards: board totals or campaigns changed outside awards. */
export type ChangeTopic = "users" | "boards";

export const CHANGES_CHANNEL = "merit_changes";
const TOPICS: ReadonlySet<string> = new Set<ChangeTopic>(["users", "boards"]);

export interface ChangeFeed {
  /** Tells this process's subscribers now (other processes hear it from the database triggers). */
  emit(topic: ChangeTopic): void;
  subscribe(topic: ChangeTopic, listener: () => void): () => void;
  /** Starts listening for other processes' changes. */
  start(db: Database, logger: Logger): Promise<void>;
  stop(): Promise<void>;
}

/** SQL that signals topic to every other process when the surrounding transaction commits. */
export function notifySql(topic: ChangeTopic): string {
  return `SELECT pg_notify('${CHANGES_CHANNEL}', '${topic}')`;
}

/** Creates the change feed of one process. */
export function createChangeFeed(): ChangeFeed {
  const listeners = new Map<ChangeTopic, Set<() => void>>();
  let unlisten: (() => Promise<void>) | null = null;
  const emit = (topic: ChangeTopic) => {
    for (const l of listeners.get(topic) ?? []) l();
  };
  return {
    emit,
    subscribe(topic, listener) {
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    async start(db, logger) {
      if (unlisten) return;
      try {
        unlisten = await db.listen(CHANGES_CHANNEL, (payload) => {
          if (TOPICS.has(payload)) emit(payload as ChangeTopic);
        });
      } catch (err) {
        // Caches then rely on their own expiry for changes made by other processes.
        logger.warn({ err }, "could not listen for data changes of other processes");
      }
    },
    async stop() {
      const u = unlisten;
      unlisten = null;
      await u?.();
    },
  };
}
