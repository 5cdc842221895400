// Lookups and rules the catalog's services share: a type named by a request, and who may change a type.
import type { Tx } from "../../core/db/client.ts";
import { conflict, notFound } from "../../core/errors.ts";
import * as repo from "./catalog.repo.ts";
import { type ManagedBy, mayEdit } from "./points.shared.ts";

/** A type a request names (id or slug); 404 CONTRIBUTION_TYPE_NOT_FOUND naming `field` otherwise. */
export async function typeByRef(db: Tx, ref: string, now: Date, field: string) {
  const t = await repo.findTypeByRef(db, ref, now);
  if (!t) throw notFound("CONTRIBUTION_TYPE_NOT_FOUND", `No contribution type "${ref}"`, { field });
  return t;
}

/** 409 TYPE_MANAGED unless the caller may change this type (see mayEdit). */
export function checkManager(
  t: { slug: string; managedBy: string | null },
  managed: ManagedBy | undefined,
  change: string,
): void {
  if (mayEdit(t.managedBy, managed)) return;
  throw conflict(
    "TYPE_MANAGED",
    t.managedBy
      ? `Contribution type "${t.slug}" is scored by its ${t.managedBy} campaign, so its ${change} cannot change here: edit that campaign instead`
      : `Contribution type "${t.slug}" is not managed by ${managed?.managedBy}`,
  );
}
