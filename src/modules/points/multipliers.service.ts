// Each contribution type's multiplier history: list it, the multiplier in force now, add a step. Joins
// the catalog service's object (createCatalogService spreads these operations into it).
import { Decimal } from "../../core/decimal.ts";
import { badRequest, conflict, unprocessable } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import { parseInstant } from "../../core/instants.ts";
import { recordAudit } from "../accounts/audit.service.ts";
import { checkManager, typeByRef } from "./catalog.lookups.ts";
import * as repo from "./catalog.repo.ts";
import { BEGINNING_OF_TIME, iso, type PointsDeps } from "./points.shared.ts";

export interface MultiplierView {
  id: string;
  contributionTypeId: string;
  contributionType: string;
  value: string;
  validFrom: string;
  description: string | null;
  createdAt: string;
}

const multiplierView = (r: repo.MultiplierRow): MultiplierView => ({
  id: r.id,
  contributionTypeId: r.contribution_type_id,
  contributionType: r.type_slug,
  value: r.value,
  validFrom: iso(r.valid_from)!,
  description: r.description,
  createdAt: iso(r.created_at)!,
});

/** The multiplier operations of the catalog service. */
export function createMultiplierOps(deps: PointsDeps) {
  const { db, clock } = deps;
  return {
    /** Multiplier history, optionally of one type (id or slug). */
    async listMultipliers(contributionType?: string): Promise<MultiplierView[]> {
      let typeId: string | null = null;
      if (contributionType) {
        typeId = (await typeByRef(db.orm, contributionType, clock.now(), "contributionType")).id;
      }
      return (await repo.listMultipliers(db.orm, typeId)).map(multiplierView);
    },

    /** The multiplier in force now for each type. */
    async activeMultipliers(): Promise<MultiplierView[]> {
      return (await repo.activeMultipliers(db.orm, clock.now())).map(multiplierView);
    },

    /** Adds a multiplier to a type's history (admins); 409 when that type already has one at validFrom. */
    async createMultiplier(
      actor: Actor | null,
      input: { contributionTypeId: string; value: string; validFrom: string; description?: string | null },
    ): Promise<MultiplierView> {
      const admin = requireRole(actor, "admin");
      let value: Decimal;
      try {
        value = new Decimal(input.value);
      } catch {
        throw badRequest("INVALID_MULTIPLIER", "value must be a decimal string such as 1.50", {
          field: "value",
        });
      }
      if (!value.isFinite() || value.lte(0) || value.gt(1000) || value.decimalPlaces() > 6) {
        throw unprocessable(
          "INVALID_MULTIPLIER",
          "value must be greater than 0, at most 1000, with at most 6 decimals",
          {
            field: "value",
          },
        );
      }
      const validFrom = parseInstant(input.validFrom, "validFrom");
      if (validFrom < BEGINNING_OF_TIME) {
        throw unprocessable("INVALID_DATE", "validFrom must be a date-time from 1970 to 9999", {
          field: "validFrom",
        });
      }
      const type = await repo.findTypeById(db.orm, input.contributionTypeId, clock.now());
      if (!type)
        throw unprocessable("CONTRIBUTION_TYPE_NOT_FOUND", "No contribution type with this id", {
          field: "contributionTypeId",
        });
      // The forum's posts are scored by its campaign (post points x rank bonus), and its standings
      // and pool split read those points: a multiplier would make the board disagree with them.
      checkManager({ slug: type.slug, managedBy: type.managed_by }, undefined, "multiplier");
      // Stored with at least two decimals, as the API shows multipliers ("1.5" -> "1.50").
      const stored = value.toFixed(Math.max(2, value.decimalPlaces()));
      const id = await db.transaction(async (tx) => {
        const inserted = await repo.insertMultiplier(tx, {
          typeId: input.contributionTypeId,
          value: stored,
          validFrom,
          description: input.description ?? null,
          at: clock.now(),
          by: admin.userId,
        });
        if (!inserted) {
          throw conflict("MULTIPLIER_EXISTS", "This type already has a multiplier with this validFrom", {
            field: "validFrom",
          });
        }
        await recordAudit(tx, clock, {
          type: "multiplier.created",
          actorId: admin.userId,
          details: {
            contributionType: type.slug,
            contributionTypeId: type.id,
            multiplierId: inserted,
            value: stored,
            validFrom: validFrom.toISOString(),
          },
        });
        return inserted;
      });
      const row = await repo.findMultiplier(db.orm, id);
      return multiplierView(row!);
    },
  };
}
