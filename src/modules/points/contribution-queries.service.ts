// Read side of contributions and the ledger: filtered lists, CSV export, the admin ledger view.
import { notFound } from "../../core/errors.ts";
import { type Actor, hasRole, requireRole } from "../../core/http/actor.ts";
import { parseRange } from "../../core/instants.ts";
import type { BoardNames } from "./boards.ts";
import { typeByRef } from "./catalog.lookups.ts";
import { contributionView } from "./contribution-view.ts";
import * as repo from "./contributions.repo.ts";
import { csvLine } from "./leaderboard.service.ts";
import * as ledger from "./ledger.repo.ts";
import { visibleParticipant } from "./participants.service.ts";
import { decimalString, iso, type PointsDeps } from "./points.shared.ts";

export interface ContributionQuery {
  user?: string;
  type?: string;
  category?: string;
  campaign?: string;
  from?: string;
  to?: string;
  includeRevoked?: boolean;
  limit?: number;
  offset?: number;
}

/** Builds the contribution/ledger query service. */
export function createContributionQueries(deps: PointsDeps & { boards: BoardNames }) {
  const { db, clock, boards } = deps;

  async function filterOf(actor: Actor | null, q: ContributionQuery): Promise<repo.ContributionFilter> {
    const f: repo.ContributionFilter = { includeRevoked: q.includeRevoked ?? false };
    // The public sees the same participants as the boards do; a participant also sees their own.
    f.visibleOnly = !hasRole(actor, "admin", "steward");
    if (q.user) {
      const u = await visibleParticipant(db.orm, actor, q.user, "user");
      f.userId = u.id;
      if (u.id === actor?.userId) f.visibleOnly = false;
    }
    if (q.type) {
      f.typeId = (await typeByRef(db.orm, q.type, clock.now(), "type")).id;
    }
    if (q.category)
      f.categoryId = (await boards.resolve(`category:${q.category}`, "category")).id ?? undefined;
    if (q.campaign)
      f.campaignId = (await boards.resolve(`campaign:${q.campaign}`, "campaign")).id ?? undefined;
    const { from, to } = parseRange(q.from, q.to);
    if (from) f.from = from;
    if (to) f.to = to;
    return f;
  }

  return {
    /** Contributions, newest contribution date first, with filters. */
    async list(actor: Actor | null, q: ContributionQuery) {
      const f = await filterOf(actor, q);
      const [items, total] = await Promise.all([
        repo.listContributions(db.orm, f, q.limit ?? 20, q.offset ?? 0),
        repo.countContributions(db.orm, f),
      ]);
      return { items: items.map((r) => contributionView(r, actor)), total };
    },

    /** Every matching contribution as CSV lines (header first). */
    async *csv(actor: Actor | null, q: ContributionQuery): AsyncGenerator<string> {
      const f = await filterOf(actor, q);
      yield csvLine([
        "id",
        "contribution_date",
        "username",
        "user_id",
        "type",
        "category",
        "points",
        "multiplier_at_creation",
        "global_points",
        "source",
        "created_at",
        "revoked_at",
        "revoke_reason",
      ]);
      let before: string | null = null;
      for (;;) {
        const page = await repo.contributionsBefore(db.orm, f, before, 5_000);
        for (const row of page) {
          // Through the API shape, so the export hides what the list hides.
          const c = contributionView(row, actor);
          yield csvLine([
            c.id,
            c.contributionDate,
            c.username,
            c.userId,
            c.contributionType,
            c.category,
            c.points,
            c.multiplierAtCreation,
            c.globalPoints,
            c.source,
            c.createdAt,
            c.revokedAt,
            c.revokeReason,
          ]);
        }
        if (page.length < 5_000) return;
        const last = page[page.length - 1];
        before = last.id;
      }
    },

    /** Ledger entries, newest first (admins and stewards); 404 naming an unknown user or contribution filter. */
    async ledger(
      actor: Actor | null,
      q: { user?: string; contribution?: string; limit?: number; offset?: number },
    ) {
      requireRole(actor, "admin", "steward");
      let userId: string | undefined;
      if (q.user) userId = (await visibleParticipant(db.orm, actor, q.user, "user")).id;
      if (q.contribution && !(await repo.findContribution(db.orm, q.contribution)))
        throw notFound("CONTRIBUTION_NOT_FOUND", `No contribution with id ${q.contribution}`, {
          field: "contribution",
        });
      const f = { userId, contributionId: q.contribution };
      const [items, total] = await Promise.all([
        ledger.listLedger(db.orm, { ...f, limit: q.limit ?? 20, offset: q.offset ?? 0 }),
        ledger.countLedger(db.orm, f),
      ]);
      return {
        items: items.map((e) => ({
          id: e.id,
          contributionId: e.contribution_id,
          userId: e.user_id,
          username: e.username,
          kind: e.kind,
          pointsDelta: e.points_delta,
          globalDelta: decimalString(e.global_delta),
          countDelta: e.count_delta,
          actorId: e.actor_id,
          actorUsername: e.actor_username,
          typeSlug: e.type_slug,
          typeName: e.type_name,
          reason: e.reason,
          createdAt: iso(e.created_at)!,
        })),
        total,
      };
    },
  };
}

export type ContributionQueries = ReturnType<typeof createContributionQueries>;
