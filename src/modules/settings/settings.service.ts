// Typed runtime settings: each module declares its keys with a schema and a default in code; the
// `settings` table only holds what an admin changed. Reads are cached and invalidated on write.
import { sql } from "drizzle-orm";
import type { TSchema } from "typebox";
import { Value } from "typebox/value";
import type { Clock } from "../../core/clock.ts";
import { type Database, rows, type Tx } from "../../core/db/client.ts";
import { unprocessable } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";

export interface SettingDefinition<T = unknown> {
  key: string;
  description: string;
  schema: TSchema;
  default: T;
  /**
   * How a change is written to the audit log: its old and new values (default), or for a list of
   * personal data (e-mail addresses) only how many items it had and has, so the log keeps no copy of them.
   */
  audit?: "values" | "count";
}

export interface SettingView {
  key: string;
  description: string;
  value: unknown;
  default: unknown;
  isDefault: boolean;
  schema: unknown;
  updatedAt: string | null;
}

export interface SettingsService {
  /** Declares a setting; modules call this at composition time. */
  define<T>(def: SettingDefinition<T>): void;
  /** Current value of a setting (override or default). */
  get<T>(key: string): Promise<T>;
  /** All settings with their values and defaults (admins only). */
  list(actor: Actor | null): Promise<SettingView[]>;
  /** Validates and stores several settings atomically (admins only). */
  update(actor: Actor | null, patch: Record<string, unknown>): Promise<SettingView[]>;
}

/**
 * Writes one audit event in the caller's transaction. Settings sit below accounts (which owns the
 * audit log and reads settings), so the composition root hands the recorder in.
 */
export type SettingsAudit = (
  tx: Tx,
  clock: Clock,
  event: { type: string; actorId: string; details: Record<string, unknown> },
) => Promise<void>;

/** Creates the settings service over the `settings` table. */
export function createSettingsService(deps: {
  db: Database;
  clock: Clock;
  audit?: SettingsAudit;
}): SettingsService {
  const defs = new Map<string, SettingDefinition>();
  let cache: Map<string, { value: unknown; updatedAt: Date }> | null = null;

  async function overrides() {
    if (cache) return cache;
    const r = await rows<{ key: string; value: unknown; updated_at: Date }>(
      deps.db.orm,
      sql`SELECT key, value, updated_at FROM settings`,
    );
    cache = new Map(r.map((x) => [x.key, { value: x.value, updatedAt: new Date(x.updated_at) }]));
    return cache;
  }

  async function list(): Promise<SettingView[]> {
    const o = await overrides();
    return [...defs.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((d) => {
        const row = o.get(d.key);
        return {
          key: d.key,
          description: d.description,
          value: row ? row.value : d.default,
          default: d.default,
          isDefault: !row,
          schema: d.schema,
          updatedAt: row ? row.updatedAt.toISOString() : null,
        };
      });
  }

  return {
    define(def) {
      if (defs.has(def.key)) throw new Error(`Setting "${def.key}" is defined twice`);
      if (!Value.Check(def.schema, def.default))
        throw new Error(`Default of setting "${def.key}" fails its schema`);
      defs.set(def.key, def as SettingDefinition);
    },

    async get<T>(key: string): Promise<T> {
      const def = defs.get(key);
      if (!def) throw new Error(`Unknown setting "${key}"`);
      const row = (await overrides()).get(key);
      return (row ? row.value : def.default) as T;
    },

    async list(actor) {
      requireRole(actor, "admin");
      return list();
    },

    async update(actor, patch) {
      const admin = requireRole(actor, "admin");
      const problems: Array<{ field: string; message: string }> = [];
      for (const [key, value] of Object.entries(patch)) {
        const def = defs.get(key);
        if (!def) {
          problems.push({ field: key, message: "is not a known setting" });
        } else if (!Value.Check(def.schema, value)) {
          const first = [...Value.Errors(def.schema, value)][0];
          problems.push({ field: key, message: first?.message ?? "does not match the setting's type" });
        }
      }
      if (problems.length > 0) {
        throw unprocessable("INVALID_SETTING", `${problems[0].field} ${problems[0].message}`, problems);
      }
      const now = deps.clock.now();
      const before = new Map((await list()).map((v) => [v.key, v.value]));
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [key, value] of Object.entries(patch)) {
        if (JSON.stringify(before.get(key)) === JSON.stringify(value)) continue;
        const shown = (v: unknown) =>
          defs.get(key)?.audit === "count" ? { items: Array.isArray(v) ? v.length : 0 } : v;
        changes[key] = { from: shown(before.get(key)), to: shown(value) };
      }
      await deps.db.transaction(async (tx) => {
        if (deps.audit && Object.keys(changes).length > 0)
          await deps.audit(tx, deps.clock, {
            type: "settings.changed",
            actorId: admin.userId,
            details: { changes },
          });
        for (const [key, value] of Object.entries(patch)) {
          await tx.execute(sql`
            INSERT INTO settings (key, value, updated_at, updated_by)
            VALUES (${key}, ${JSON.stringify(value)}::jsonb, ${now.toISOString()}, ${admin.userId})
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at,
              updated_by = EXCLUDED.updated_by`);
        }
      });
      cache = null;
      return list();
    },
  };
}
