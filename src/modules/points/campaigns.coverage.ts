// Which campaigns count a contribution: the one rule, as an SQL condition every query embeds (awards,
// ledger totals, verify/rebuild, contribution filters, campaign board rebuilds).
import { type SQL, sql } from "drizzle-orm";

/**
 * True when campaign row `k` (a table alias) counts a contribution of type `typeId` dated `date`: the
 * date falls in [starts_at, ends_at) (no end when ends_at is null: open-ended) and the campaign counts
 * every type or lists this one.
 */
export function campaignCovers(k: string, typeId: SQL, date: SQL): SQL {
  const c = sql.raw(k);
  return sql`(${c}.starts_at <= ${date} AND (${c}.ends_at IS NULL OR ${c}.ends_at > ${date})
    AND (${c}.counts_all_types OR EXISTS (SELECT 1 FROM campaign_types ct
      WHERE ct.campaign_id = ${c}.id AND ct.contribution_type_id = ${typeId})))`;
}
