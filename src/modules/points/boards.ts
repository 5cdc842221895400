// Board names: the public form (global, category:<slug>, campaign:<slug>) and the internal key stored
// in board_totals (global, category:<uuid>, campaign:<uuid>), which survives slug changes.
import { sql } from "drizzle-orm";
import { type Database, firstRow, type Tx } from "../../core/db/client.ts";
import { badRequest, notFound } from "../../core/errors.ts";

export interface Board {
  /** Public name. */
  name: string;
  /** Key in board_totals. */
  key: string;
  kind: "global" | "category" | "campaign";
  /** Category or campaign id. */
  id: string | null;
}

/** Resolves board names both ways, caching (categories and campaigns are never renamed or deleted). */
export function createBoardNames(db: Database) {
  const byName = new Map<string, Board>();
  const byKey = new Map<string, Board>();
  const remember = (b: Board) => {
    byName.set(b.name, b);
    byKey.set(b.key, b);
    return b;
  };
  remember({ name: "global", key: "global", kind: "global", id: null });

  return {
    /** Public name -> board; 400 for a malformed name, 404 for an unknown slug (both naming `board`). */
    async resolve(name: string, field = "board"): Promise<Board> {
      const cached = byName.get(name);
      if (cached) return cached;
      const m = /^(category|campaign):([a-z0-9-]+)$/.exec(name);
      if (!m)
        throw badRequest("INVALID_BOARD", "board must be global, category:<slug> or campaign:<slug>", {
          field,
        });
      const kind = m[1] as "category" | "campaign";
      const table = kind === "category" ? sql`contribution_categories` : sql`campaigns`;
      const r = await firstRow<{ id: string }>(db.orm, sql`SELECT id FROM ${table} WHERE slug = ${m[2]}`);
      if (!r) throw notFound("BOARD_NOT_FOUND", `No ${kind} with slug "${m[2]}"`, { field });
      return remember({ name, key: `${kind}:${r.id}`, kind, id: r.id });
    },
    /** Internal key -> board (public name); pass the open transaction when inside one. */
    async fromKey(key: string, tx: Tx = db.orm): Promise<Board> {
      const cached = byKey.get(key);
      if (cached) return cached;
      const [kind, id] = key.split(":") as ["category" | "campaign", string];
      const table = kind === "category" ? sql`contribution_categories` : sql`campaigns`;
      const r = await firstRow<{ slug: string }>(tx, sql`SELECT slug FROM ${table} WHERE id = ${id}`);
      return remember({ name: `${kind}:${r?.slug ?? id}`, key, kind, id });
    },
  };
}

export type BoardNames = ReturnType<typeof createBoardNames>;

/**
 * Whether a board's items carry pool shares: campaign boards over the whole campaign only (the pool
 * is split over the whole campaign, so a share beside a week's, month's or custom range's points
 * would read as that period's share, which it is not). Campaigns without a pool carry none either.
 */
export function hasPoolShares(
  board: Board,
  period: string,
): board is Board & { kind: "campaign"; id: string } {
  return board.kind === "campaign" && board.id !== null && period === "all";
}
