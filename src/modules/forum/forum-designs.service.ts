// Signature designs: the BBCode participants wear, offered to some forum ranks. List (active ones, or
// inactive too for admins), create, edit and delete (admins). Joins the forum catalog service's object.
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import { conflict, inBody, notFound, unprocessable } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import { recordAudit, recordEdit } from "../accounts/audit.service.ts";
import { extractBbcodeLinks } from "./bitcointalk/signature-links.ts";
import * as repo from "./forum-catalog.repo.ts";
import { DEFAULT_FORUM_SITE } from "./forum-sites.ts";
import { signatureView } from "./forum-views.ts";

export interface SignatureInput {
  site?: string;
  name: string;
  code: string;
  imageUrl?: string | null;
  allowedRanks: string[];
  active?: boolean;
}

/** The signature design operations of the forum catalog service. */
export function createSignatureOps(deps: {
  db: Database;
  clock: Clock;
  /** The forum site of that id; 404 FORUM_SITE_NOT_FOUND otherwise. */
  requireSite: (id: string) => Promise<repo.SiteRow>;
}) {
  const { db, clock, requireSite } = deps;

  async function validateSignature(input: SignatureInput, siteId: string): Promise<repo.SignatureFields> {
    if (extractBbcodeLinks(input.code).length === 0) {
      throw unprocessable("SIGNATURE_HAS_NO_LINKS", "The BBCode must contain at least one link to check", {
        field: "code",
      });
    }
    const known = new Map((await repo.listRanks(db.orm, siteId)).map((r) => [r.name.toLowerCase(), r.name]));
    const ranks = input.allowedRanks.map((r) => known.get(r.toLowerCase()));
    const unknown = input.allowedRanks.filter((_, i) => ranks[i] === undefined);
    if (unknown.length > 0)
      throw unprocessable("UNKNOWN_RANK", `Unknown rank: ${unknown.join(", ")}`, {
        field: "allowedRanks",
        unknown,
      });
    return {
      siteId,
      name: input.name,
      code: input.code,
      imageUrl: input.imageUrl ?? null,
      allowedRanks: ranks as string[],
      active: input.active ?? true,
    };
  }

  return {
    /** Signature designs filtered by site and rank: active ones, and inactive ones too for admins asking. */
    async listSignatures(
      actor: Actor | null,
      f: { site?: string; rank?: string; includeInactive?: boolean },
    ) {
      if (f.includeInactive) requireRole(actor, "admin");
      // An unknown site is a 404 (a misspelt filter is not "no designs"); a rank nobody configured
      // yet is a real rank with no designs offered, so it lists none.
      if (f.site) await requireSite(f.site);
      return (
        await repo.listSignatures(db.orm, { siteId: f.site, rank: f.rank, activeOnly: !f.includeInactive })
      ).map(signatureView);
    },

    /** Adds a signature design (admins). */
    async createSignature(actor: Actor | null, input: SignatureInput) {
      const admin = requireRole(actor, "admin");
      const site = await inBody(requireSite(input.site ?? DEFAULT_FORUM_SITE));
      const fields = await validateSignature(input, site.id);
      const row = await db.transaction(async (tx) => {
        const r = (await repo.insertSignature(tx, fields, clock.now())) as repo.SignatureRow;
        await recordAudit(tx, clock, {
          type: "forum-signature.created",
          actorId: admin.userId,
          details: { site: r.site_id, signature: r.name, signatureId: r.id, allowedRanks: r.allowed_ranks },
        });
        return r;
      });
      return signatureView(row);
    },

    /** Replaces a signature design's fields (admins). */
    async updateSignature(actor: Actor | null, id: string, patch: Partial<SignatureInput>) {
      const admin = requireRole(actor, "admin");
      const current = await repo.findSignature(db.orm, id);
      if (!current) throw notFound("SIGNATURE_NOT_FOUND", "No signature with this id");
      const merged: SignatureInput = {
        name: patch.name ?? current.name,
        code: patch.code ?? current.code,
        imageUrl: patch.imageUrl === undefined ? current.image_url : patch.imageUrl,
        allowedRanks: patch.allowedRanks ?? current.allowed_ranks,
        active: patch.active ?? current.active,
      };
      const fields = await validateSignature(merged, current.site_id);
      const row = await db.transaction(async (tx) => {
        const before = (await repo.findSignature(tx, id, true)) ?? current;
        const after = (await repo.updateSignature(tx, id, fields, clock.now())) as repo.SignatureRow;
        await recordEdit(
          tx,
          clock,
          {
            type: "forum-signature.updated",
            actorId: admin.userId,
            details: { site: after.site_id, signature: after.name, signatureId: id },
          },
          signatureView(before),
          signatureView(after),
        );
        return after;
      });
      return signatureView(row);
    },

    /** Deletes an unused signature design (admins); 409 when profiles use it (deactivate it instead). */
    async deleteSignature(actor: Actor | null, id: string) {
      const admin = requireRole(actor, "admin");
      await db.transaction(async (tx) => {
        const current = await repo.findSignature(tx, id, true);
        const r = current ? await repo.deleteSignature(tx, id) : "missing";
        if (r === "missing") throw notFound("SIGNATURE_NOT_FOUND", "No signature with this id");
        if (r === "in-use")
          throw conflict("SIGNATURE_IN_USE", "Profiles use this design; set active to false instead");
        await recordAudit(tx, clock, {
          type: "forum-signature.deleted",
          actorId: admin.userId,
          details: { site: current!.site_id, signature: current!.name, signatureId: id },
        });
      });
    },
  };
}
