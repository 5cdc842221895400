// Campaigns: time windows (open-ended when without an end) with an optional reward pool, each with
// its own board; estimated shares. Editing the window or the counted types rebuilds the campaign's
// board from the ledger in the same transaction (ledger.repo rebuildCampaignBoard, the SQL of
// `points rebuild` for one board); the field rules live in campaigns.edit.ts.
import type { Tx } from "../../core/db/client.ts";
import { conflict, notFound } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import { pageOf } from "../../core/paging.ts";
import { recordAudit } from "../accounts/audit.service.ts";
import {
  type CampaignPatch,
  campaignFields,
  changesOf,
  type EditableFields,
  editableOf,
  mergePatch,
  type Pool,
  poolOf,
} from "./campaigns.edit.ts";
import * as repo from "./campaigns.repo.ts";
import { createPageCache } from "./leaderboard.caches.ts";
import * as boardRepo from "./leaderboard.repo.ts";
import { lockTotalsSql, noJitSql, rebuildCampaignBoard } from "./ledger.repo.ts";
import { decimalString, iso, type ManagedBy, mayEdit, type PointsDeps } from "./points.shared.ts";
import { fromSmallestUnits, toSmallestUnits } from "./pool-split.ts";

export type { CampaignPatch } from "./campaigns.edit.ts";

export interface CampaignInput {
  slug: string;
  name: string;
  description?: string | null;
  startsAt: string;
  /** Absent or null: open-ended. */
  endsAt?: string | null;
  pool?: Pool | null;
  contributionTypes?: string[];
}

export interface CampaignView extends EditableFields {
  id: string;
  slug: string;
  /** The module that keeps this campaign in step with its own record; null: edited here. */
  managedBy: string | null;
  board: string;
  participants: number;
  points: string;
  createdAt: string;
}

/** Builds the campaigns service. */
export function createCampaignsService(deps: PointsDeps) {
  const { db, clock, changes } = deps;
  // Lookups by id are remembered until a campaign changes (this process's edits, or another
  // process's through the "boards" change signal). A lookup that a signal overlapped may have read
  // the row before that change, so it is not remembered (it would be kept until the next signal).
  const byId = new Map<string, repo.CampaignRow>();
  let generation = 0;
  const forget = () => {
    generation += 1;
    byId.clear();
  };
  changes.subscribe("boards", forget);

  async function view(r: repo.CampaignRow): Promise<CampaignView> {
    const board = `campaign:${r.id}`;
    const all = boardRepo.bucketOf("all", clock.now());
    const participants = await boardRepo.visibleCount(db.orm, board, all, null);
    const sum = decimalString(await boardRepo.visibleSum(db.orm, board, all));
    return {
      id: r.id,
      slug: r.slug,
      ...editableOf(r),
      managedBy: r.managed_by,
      board: `campaign:${r.slug}`,
      participants,
      points: sum,
      createdAt: iso(r.created_at)!,
    };
  }

  // The cut of each campaign's pool split (boardRepo.poolCut), found once per write: every page,
  // rank lookup and export of the board shares it, and any points event or users/boards signal
  // drops it, like the board pages. Keyed with the pool so an edited pool is never served stale.
  const cuts = createPageCache<boardRepo.PoolCut | null>(deps);

  /**
   * Estimated shares of the pool (token units, exact) by user id: of `userIds`, or of everyone on the
   * board. The split covers the whole board (boardRepo.poolCut, cached); each share then follows from
   * the participant's own total (boardRepo.poolSharesFor).
   */
  /** A campaign by id, from the cache of campaigns (refilled after any campaign write). */
  async function campaignById(campaignId: string, tx?: Tx): Promise<repo.CampaignRow | undefined> {
    let r = byId.get(campaignId);
    if (!r) {
      const asOf = generation;
      r = (await repo.listCampaigns(tx ?? db.orm)).find((c) => c.id === campaignId);
      if (r && asOf === generation) byId.set(campaignId, r);
    }
    return r;
  }

  async function sharesOf(
    r: repo.CampaignRow,
    userIds: string[] | null,
    tx?: Tx,
  ): Promise<Map<string, string>> {
    if (r.pool_amount === null || r.pool_decimals === null) return new Map();
    if (userIds?.length === 0) return new Map();
    const units = toSmallestUnits(r.pool_amount, r.pool_decimals).toString();
    const board = `campaign:${r.id}`;
    const all = boardRepo.bucketOf("all", clock.now());
    // Inside a caller's transaction the cut is found there (no cache), on the rows that transaction sees.
    const cut = tx
      ? await boardRepo.poolCut(tx, board, all, units)
      : await cuts.through(`${r.id}|${units}`, () => boardRepo.poolCut(db.orm, board, all, units));
    if (!cut) {
      // Nobody on the board has points yet: a zero share each (the board has a pool; no share at
      // all would read as a campaign without one).
      const zero = fromSmallestUnits(0n, r.pool_decimals);
      return new Map((userIds ?? []).map((id) => [id, zero]));
    }
    const shares = await boardRepo.poolSharesFor(
      tx ?? db.orm,
      board,
      all,
      units,
      r.pool_decimals,
      cut,
      userIds,
    );
    return new Map(shares.map((x) => [x.user_id, x.share]));
  }

  async function find(slug: string): Promise<repo.CampaignRow> {
    const r = await repo.findCampaignBySlug(db.orm, slug);
    if (!r) throw notFound("CAMPAIGN_NOT_FOUND", `No campaign with slug "${slug}"`);
    return r;
  }

  return {
    /** Every campaign, latest first. */
    async list(
      q: { limit?: number; offset?: number } = {},
    ): Promise<{ items: CampaignView[]; total: number }> {
      // Counts and sums only for the page's campaigns.
      const page = pageOf(await repo.listCampaigns(db.orm), q);
      const items: CampaignView[] = [];
      for (const r of page.items) items.push(await view(r));
      return { items, total: page.total };
    },

    /** One campaign with its participant count and points. */
    async get(slug: string): Promise<CampaignView> {
      return view(await find(slug));
    },

    /**
     * Estimated shares of a campaign's pool by user id, of `userIds` or everyone (empty without a
     * pool); inside `tx` when given (a snapshot freezing them beside its entries).
     */
    async shares(campaignId: string, userIds: string[] | null = null, tx?: Tx): Promise<Map<string, string>> {
      const r = await campaignById(campaignId, tx);
      return r ? sharesOf(r, userIds, tx) : new Map();
    },

    /** A campaign's pool (amount, token, decimals), null without one: what its shares are counted in. */
    async pool(campaignId: string): Promise<Pool | null> {
      const r = await campaignById(campaignId);
      return r ? poolOf(r) : null;
    },

    /**
     * A campaign's pool and every participant's share of it, both read in `tx` (a snapshot freezes
     * them together); null for a campaign without a pool.
     */
    async poolWithShares(
      campaignId: string,
      tx: Tx,
    ): Promise<{ pool: Pool; shares: Map<string, string> } | null> {
      const r = await repo.findCampaignById(tx, campaignId);
      const pool = r ? poolOf(r) : null;
      return r && pool ? { pool, shares: await sharesOf(r, null, tx) } : null;
    },

    /**
     * Creates a campaign (admins) and fills its board from contributions already in its window. A
     * module that keeps the campaign in step with its own record says so with `managed`; after that
     * only its own calls may edit the campaign (see update).
     */
    async create(actor: Actor | null, input: CampaignInput, managed?: ManagedBy): Promise<CampaignView> {
      const admin = requireRole(actor, "admin");
      await db.transaction(async (tx) => {
        const fields = await campaignFields(tx, {
          name: input.name,
          description: input.description ?? null,
          startsAt: input.startsAt,
          endsAt: input.endsAt ?? null,
          pool: input.pool ?? null,
          contributionTypes: input.contributionTypes ?? [],
        });
        // Awards wait while the board is filled, so none lands between the insert and the backfill.
        await lockTotals(tx);
        const id = await repo.insertCampaign(tx, {
          ...fields,
          slug: input.slug,
          by: admin.userId,
          at: clock.now(),
          managedBy: managed?.managedBy ?? null,
        });
        if (!id)
          throw conflict("SLUG_TAKEN", `Another campaign uses the slug "${input.slug}": choose another one`, {
            field: "slug",
          });
        await rebuildCampaignBoard(tx, id, clock.now());
        await recordAudit(tx, clock, {
          type: "campaign.created",
          actorId: admin.userId,
          details: {
            campaign: input.slug,
            campaignId: id,
            name: fields.name,
            startsAt: fields.startsAt.toISOString(),
            endsAt: fields.endsAt?.toISOString() ?? null,
            pool: fields.pool,
            contributionTypes: fields.typeIds,
            ...(managed ? { managedBy: managed.managedBy } : {}),
          },
        });
      });
      changes.emit("boards");
      return view(await find(input.slug));
    },

    /**
     * Edits a campaign (admins): name, description, window, pool, counted types; never the slug.
     * A new window or type list rebuilds the campaign's board from the ledger in the same
     * transaction; every edit is written to the audit log with the old and new values. A managed
     * campaign changes only through its module's calls (`managed`): 409 CAMPAIGN_MANAGED otherwise,
     * so the campaign page and the module's own page never disagree.
     */
    async update(
      actor: Actor | null,
      slug: string,
      patch: CampaignPatch,
      managed?: ManagedBy,
    ): Promise<CampaignView> {
      const admin = requireRole(actor, "admin");
      const changed = await db.transaction(async (tx) => {
        const current = await repo.findCampaignBySlug(tx, slug, true);
        if (!current) throw notFound("CAMPAIGN_NOT_FOUND", `No campaign with slug "${slug}"`);
        if (!mayEdit(current.managed_by, managed))
          throw conflict(
            "CAMPAIGN_MANAGED",
            current.managed_by
              ? `Campaign "${slug}" follows its ${current.managed_by} campaign: edit that one instead`
              : `Campaign "${slug}" is not managed by ${managed?.managedBy}`,
          );
        const fields = await campaignFields(tx, mergePatch(current, patch));
        const diff = changesOf(current, fields);
        if (Object.keys(diff).length === 0) return false;
        const rebuild = "startsAt" in diff || "endsAt" in diff || "contributionTypes" in diff;
        if (rebuild) await lockTotals(tx);
        await repo.updateCampaign(tx, current.id, fields);
        if (rebuild) await rebuildCampaignBoard(tx, current.id, clock.now());
        await recordAudit(tx, clock, {
          type: "campaign.updated",
          actorId: admin.userId,
          details: { campaign: slug, campaignId: current.id, boardRebuilt: rebuild, changes: diff },
        });
        return true;
      });
      if (changed) {
        forget();
        changes.emit("boards");
      }
      return view(await find(slug));
    },
  };
}

/** Blocks concurrent writers of board totals until the transaction ends (see rebuildCampaignBoard). */
async function lockTotals(tx: Tx): Promise<void> {
  await tx.execute(noJitSql);
  await tx.execute(lockTotalsSql);
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
