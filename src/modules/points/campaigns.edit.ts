// The rules of a campaign's editable fields, shared by create and update: validation (window, pool,
// counted types), merging a patch onto the stored row, and the old/new values an edit changes.

import type { Tx } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { unprocessable } from "../../core/errors.ts";
import { parseInstant } from "../../core/instants.ts";
import { fieldChanges } from "../accounts/audit.service.ts";
import * as repo from "./campaigns.repo.ts";
import { decimalString, iso, requiredText } from "./points.shared.ts";

export interface Pool {
  amount: string;
  token: string;
  decimals: number;
}

/** Every editable field, as the API spells them (endsAt null: open-ended; contributionTypes []: all). */
export interface EditableFields {
  name: string;
  description: string | null;
  startsAt: string;
  endsAt: string | null;
  pool: Pool | null;
  contributionTypes: string[];
}

/** A PATCH body: absent fields keep their value. */
export type CampaignPatch = Partial<EditableFields>;

/** Checks the pool: amount > 0 with at most `decimals` places; returns it with the amount normalised. */
function checkPool(pool: Pool): Pool {
  let amount: Decimal | null = null;
  try {
    amount = new Decimal(pool.amount);
  } catch {
    amount = null;
  }
  if (!amount?.isFinite() || amount.lte(0) || amount.decimalPlaces() > pool.decimals) {
    throw unprocessable("INVALID_POOL", `pool.amount must be > 0 with at most ${pool.decimals} decimals`, {
      field: "pool.amount",
    });
  }
  return { amount: amount.toFixed(), token: requiredText(pool.token, "pool.token"), decimals: pool.decimals };
}

/** Validates the fields (422 naming the field) and returns them as stored: 422s change nothing. */
export async function campaignFields(tx: Tx, f: EditableFields): Promise<repo.CampaignFields> {
  const name = requiredText(f.name, "name");
  const startsAt = parseInstant(f.startsAt, "startsAt");
  const endsAt = f.endsAt === null ? null : parseInstant(f.endsAt, "endsAt");
  if (endsAt && endsAt <= startsAt) {
    throw unprocessable("INVALID_CAMPAIGN_WINDOW", "endsAt must be after startsAt", { field: "endsAt" });
  }
  const typeIds = [...new Set(f.contributionTypes)].sort();
  if (typeIds.length > 0 && (await repo.countExistingTypes(tx, typeIds)) !== typeIds.length) {
    throw unprocessable("CONTRIBUTION_TYPE_NOT_FOUND", "contributionTypes names an unknown type", {
      field: "contributionTypes",
    });
  }
  return {
    name,
    description: f.description,
    startsAt,
    endsAt,
    pool: f.pool ? checkPool(f.pool) : null,
    typeIds,
  };
}

/** A stored pool (a campaign's, or the one a snapshot froze) in API form; null without one. */
export function poolOf(
  r: Pick<repo.CampaignRow, "pool_amount" | "pool_token" | "pool_decimals">,
): Pool | null {
  if (r.pool_amount === null) return null;
  return { amount: decimalString(r.pool_amount), token: r.pool_token ?? "", decimals: r.pool_decimals ?? 0 };
}

/** The stored campaign's fields in API form (counted types in id order). */
export function editableOf(r: repo.CampaignRow): EditableFields {
  return {
    name: r.name,
    description: r.description,
    startsAt: iso(r.starts_at)!,
    endsAt: iso(r.ends_at),
    pool: poolOf(r),
    contributionTypes: [...(r.type_ids ?? [])].sort(),
  };
}

/** The stored fields with the patch applied (a null in the patch clears: open-ended, no pool...). */
export function mergePatch(current: repo.CampaignRow, patch: CampaignPatch): EditableFields {
  const base = editableOf(current);
  const pick = <K extends keyof EditableFields>(k: K): EditableFields[K] =>
    patch[k] === undefined ? base[k] : (patch[k] as EditableFields[K]);
  return {
    name: pick("name"),
    description: pick("description"),
    startsAt: pick("startsAt"),
    endsAt: pick("endsAt"),
    pool: pick("pool"),
    contributionTypes: pick("contributionTypes"),
  };
}

/** The fields an edit changes, each with its old and new value (for the audit log); empty: no change. */
export function changesOf(
  current: repo.CampaignRow,
  next: repo.CampaignFields,
): Record<string, { from: unknown; to: unknown }> {
  const before = editableOf(current);
  const after: EditableFields = {
    name: next.name,
    description: next.description,
    startsAt: next.startsAt.toISOString(),
    endsAt: next.endsAt?.toISOString() ?? null,
    pool: next.pool,
    contributionTypes: next.typeIds,
  };
  return fieldChanges(before, after);
}
