// Campaigns: time windows with an optional reward pool, each with its own board; estimated shares.
import { Decimal } from "decimal.js";
import { conflict, notFound, unprocessable } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import * as repo from "./campaigns.repo.ts";
import * as boardRepo from "./leaderboard.repo.ts";
import { noJitSql } from "./ledger.repo.ts";
import { decimalString, iso, type PointsDeps } from "./points.shared.ts";
import { fromSmallestUnits, splitPool, toSmallestUnits } from "./pool-split.ts";

export interface CampaignInput {
  slug: string;
  name: string;
  description?: string | null;
  startsAt: string;
  endsAt: string;
  pool?: { amount: string; token: string; decimals: number } | null;
  contributionTypes?: string[];
}

export interface CampaignView {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  startsAt: string;
  endsAt: string;
  pool: { amount: string; token: string; decimals: number } | null;
  contributionTypes: string[];
  board: string;
  participants: number;
  points: string;
  createdAt: string;
}

const SHARES_TTL_MS = 30_000;
const EXPORT_PAGE = 20_000;

/** Builds the campaigns service. */
export function createCampaignsService(deps: PointsDeps) {
  const { db, clock, events } = deps;
  // Estimated shares need the whole campaign board, so they are computed once and cached until the
  // next award on that campaign (or TTL, which covers participants hidden/banned in the meantime).
  // A board version per campaign slug, bumped by every points event on it: a split computed while an
  // award landed is not kept, so the next read after the award recomputes (read-your-writes).
  const shareCache = new Map<string, { at: number; version: number; shares: Promise<Map<string, string>> }>();
  const versions = new Map<string, number>();
  events.subscribe((e) => {
    for (const b of e.boards)
      if (b.startsWith("campaign:")) {
        const slug = b.slice("campaign:".length);
        versions.set(slug, (versions.get(slug) ?? 0) + 1);
        shareCache.delete(slug);
      }
  });
  // Campaign rows never change after creation (no update route), so lookups by id are remembered.
  const byId = new Map<string, repo.CampaignRow>();

  async function view(r: repo.CampaignRow): Promise<CampaignView> {
    const board = `campaign:${r.id}`;
    const all = boardRepo.bucketOf("all", clock.now());
    const participants = await boardRepo.visibleCount(db.orm, board, all, null);
    const sum = decimalString(await boardRepo.visibleSum(db.orm, board, all));
    return {
      id: r.id,
      slug: r.slug,
      name: r.name,
      description: r.description,
      startsAt: iso(r.starts_at)!,
      endsAt: iso(r.ends_at)!,
      pool:
        r.pool_amount !== null
          ? {
              amount: decimalString(r.pool_amount),
              token: r.pool_token ?? "",
              decimals: r.pool_decimals ?? 0,
            }
          : null,
      contributionTypes: r.type_ids ?? [],
      board: `campaign:${r.slug}`,
      participants,
      points: sum,
      createdAt: iso(r.created_at)!,
    };
  }

  /** Each visible participant's estimated share of the pool (token units, exact), by user id. */
  function sharesOf(r: repo.CampaignRow): Promise<Map<string, string>> {
    if (r.pool_amount === null || r.pool_decimals === null) return Promise.resolve(new Map());
    const version = versions.get(r.slug) ?? 0;
    const cached = shareCache.get(r.slug);
    if (cached && cached.version === version && Date.now() - cached.at < SHARES_TTL_MS) return cached.shares;
    // Concurrent readers of a cold board share one computation.
    const shares = computeShares(r, r.pool_amount, r.pool_decimals);
    shareCache.set(r.slug, { at: Date.now(), version, shares });
    shares.then(
      () => {
        if ((versions.get(r.slug) ?? 0) !== version) shareCache.delete(r.slug);
      },
      () => shareCache.delete(r.slug),
    );
    return shares;
  }

  async function computeShares(r: repo.CampaignRow, pool: string, decimals: number) {
    const weights: Array<{ id: string; points: string }> = [];
    let after: boardRepo.BoardCursor | null = null;
    for (;;) {
      const page = await boardRepo.boardRowsAfter(
        db.orm,
        `campaign:${r.id}`,
        boardRepo.bucketOf("all", clock.now()),
        after,
        EXPORT_PAGE,
      );
      for (const row of page) weights.push({ id: row.user_id, points: row.points });
      if (page.length < EXPORT_PAGE) break;
      const last = page[page.length - 1];
      after = boardRepo.cursorAfter(last);
    }
    const units = splitPool(toSmallestUnits(pool, decimals), weights);
    const shares = new Map<string, string>();
    for (const [id, u] of units) shares.set(id, fromSmallestUnits(u, decimals));
    return shares;
  }

  async function find(slug: string): Promise<repo.CampaignRow> {
    const r = await repo.findCampaignBySlug(db.orm, slug);
    if (!r) throw notFound("CAMPAIGN_NOT_FOUND", `No campaign with slug "${slug}"`);
    return r;
  }

  return {
    /** Every campaign, latest first. */
    async list(): Promise<CampaignView[]> {
      const out: CampaignView[] = [];
      for (const r of await repo.listCampaigns(db.orm)) out.push(await view(r));
      return out;
    },

    /** One campaign with its participant count and points. */
    async get(slug: string): Promise<CampaignView> {
      return view(await find(slug));
    },

    /** Estimated shares of a campaign's pool by user id (empty without a pool). */
    async shares(campaignId: string): Promise<Map<string, string>> {
      let r = byId.get(campaignId);
      if (!r) {
        r = (await repo.listCampaigns(db.orm)).find((c) => c.id === campaignId);
        if (r) byId.set(campaignId, r);
      }
      return r ? sharesOf(r) : new Map();
    },

    /** Creates a campaign (admins) and fills its board from contributions already in its window. */
    async create(actor: Actor | null, input: CampaignInput): Promise<CampaignView> {
      const admin = requireRole(actor, "admin");
      const startsAt = new Date(input.startsAt);
      const endsAt = new Date(input.endsAt);
      if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime()) || endsAt <= startsAt) {
        throw unprocessable("INVALID_CAMPAIGN_WINDOW", "endsAt must be after startsAt", { field: "endsAt" });
      }
      if (input.pool) {
        try {
          const amount = new Decimal(input.pool.amount);
          if (amount.lte(0)) throw new RangeError("not positive");
          toSmallestUnits(input.pool.amount, input.pool.decimals);
        } catch {
          throw unprocessable(
            "INVALID_POOL",
            `pool.amount must be > 0 with at most ${input.pool.decimals} decimals`,
            {
              field: "pool.amount",
            },
          );
        }
      }
      const typeIds = [...new Set(input.contributionTypes ?? [])];
      if (typeIds.length > 0 && (await repo.countExistingTypes(db.orm, typeIds)) !== typeIds.length) {
        throw unprocessable("CONTRIBUTION_TYPE_NOT_FOUND", "contributionTypes names an unknown type", {
          field: "contributionTypes",
        });
      }
      await db.transaction(async (tx) => {
        const id = await repo.insertCampaign(tx, {
          slug: input.slug,
          name: input.name,
          description: input.description ?? null,
          startsAt,
          endsAt,
          pool: input.pool ? { ...input.pool, amount: new Decimal(input.pool.amount).toFixed() } : null,
          typeIds,
          by: admin.userId,
          at: clock.now(),
        });
        if (!id)
          throw conflict("SLUG_TAKEN", `A campaign with slug "${input.slug}" exists`, { field: "slug" });
        await tx.execute(noJitSql);
        await repo.backfillCampaignBoard(tx, id);
      });
      return view(await find(input.slug));
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
