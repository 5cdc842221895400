// Points data the browser tests create through the API as an admin: a category of the test's own (so
// its board holds nothing but the test's awards), contribution types, multipliers, awards, campaigns.
import { randomUUID } from "node:crypto";
import type { ApiCall } from "./journeys.ts";

/** An ISO instant `days` days from now (negative: in the past). */
export const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** Creates a contribution type worth 1 to 100 points in `category` (a slug); answers its id. */
export async function createType(
  call: ApiCall,
  type: { name: string; slug: string; category: string },
): Promise<string> {
  const created = await call<{ id: string }>("POST", "/api/contributions/types", {
    ...type,
    minPoints: 1,
    maxPoints: 100,
  });
  return created.id;
}

/**
 * A category and a type of this test's own, both under a fresh slug `<prefix>-<8 hex>` (tests share
 * one server); answers the slug and the type's id.
 */
export async function freshCategoryWithType(
  call: ApiCall,
  prefix: string,
  names: { category: string; type: string },
): Promise<{ slug: string; typeId: string }> {
  const slug = `${prefix}-${randomUUID().slice(0, 8)}`;
  const typeId = await createCategoryWithType(
    call,
    { name: names.category, slug },
    { name: names.type, slug },
  );
  return { slug, typeId };
}

/** Creates a category and a first contribution type in it; answers the type's id. */
export async function createCategoryWithType(
  call: ApiCall,
  category: { name: string; slug: string; description?: string },
  type: { name: string; slug: string },
): Promise<string> {
  await call("POST", "/api/categories", category);
  return createType(call, { ...type, category: category.slug });
}

/** A multiplier of the type valid from yesterday, so awards dated now get it. */
export const addMultiplier = (
  call: ApiCall,
  contributionTypeId: string,
  value: string,
  description?: string,
) =>
  call("POST", "/api/leaderboard/multipliers", {
    contributionTypeId,
    value,
    validFrom: daysFromNow(-1),
    description,
  });

/** Awards each user their points of the type, in order; answers the contribution ids by username. */
export async function awardAll(
  call: ApiCall,
  contributionTypeId: string,
  awards: ReadonlyArray<readonly [username: string, points: number]>,
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [username, points] of awards) {
    const c = await call<{ id: string }>("POST", "/api/contributions", {
      username,
      contributionTypeId,
      points,
    });
    ids[username] = c.id;
  }
  return ids;
}

/**
 * A campaign started yesterday with a 100 TKN pool (2 decimals) counting a new type of its own in
 * `category`, on which admin has 10 points and erin 30: their shares are 25 and 75 TKN.
 */
export async function seedCampaignWithShares(
  call: ApiCall,
  input: {
    category: string;
    type: { name: string; slug: string };
    campaign: { slug: string; name: string; description?: string; endsAt?: string };
  },
): Promise<void> {
  const typeId = await createType(call, { ...input.type, category: input.category });
  await call("POST", "/api/campaigns", {
    ...input.campaign,
    startsAt: daysFromNow(-1),
    pool: { amount: "100", token: "TKN", decimals: 2 },
    contributionTypes: [typeId],
  });
  await awardAll(call, typeId, [
    ["admin", 10],
    ["erin", 30],
  ]);
}
