// Shapes of the forum campaigns API (issue 5), taken from the generated OpenAPI types
// ($lib/api/schema.d.ts, `npm run gen:api`) so they cannot drift. Decimals (points, percents, pools,
// tokens) are strings: keep them as strings and format them with $lib/points/decimal.
import type { ApiBody, ApiResponse, ListItem } from "$lib/api/api";

export type ForumSite = ListItem<ApiResponse<"/api/forum/sites">>;
export type ForumRank = ListItem<ApiResponse<"/api/forum/ranks">>;
export type SignatureDesign = ListItem<ApiResponse<"/api/forum/signatures">>;
export type NewSignatureDesign = ApiBody<"/api/forum/signatures", "post">;
export type ForumCampaign = ApiResponse<"/api/forum/campaigns/{slug}">;
/** The fields of a new campaign (POST); PATCH takes the same without slug and site, all optional. */
export type CampaignInput = ApiBody<"/api/forum/campaigns", "post">;
export type CampaignPatch = ApiBody<"/api/forum/campaigns/{slug}", "patch">;
export type CheckResult = ApiResponse<"/api/forum/profiles/check", "post">;
/** A claim: its id and the verification code to put in the forum signature. */
export type ClaimResult = ApiResponse<"/api/forum/profiles", "post">;
export type MyProfile = ListItem<ApiResponse<"/api/forum/profiles/mine">>;
export type ForumPost = ListItem<ApiResponse<"/api/forum/profiles/{id}/posts">>;

export type Standings = ApiResponse<"/api/forum/campaigns/{slug}/standings">;
export type Standing = ListItem<Standings>;

export type AdminProfile = ListItem<ApiResponse<"/api/admin/forum/campaigns/{slug}/profiles">>;
export type Scrape = ListItem<ApiResponse<"/api/admin/forum/profiles/{id}/scrapes">>;
/** What "check now" did: skipped (another check holds the profile, or it is not verified) or the outcome. */
export type RescrapeResult = ApiResponse<"/api/admin/forum/profiles/{id}/rescrape", "post">;
export type AdminPost = ListItem<ApiResponse<"/api/admin/forum/campaigns/{slug}/posts">>;
export type Coverage = ApiResponse<"/api/admin/forum/campaigns/{slug}/coverage">;
export type ResetResult = ApiResponse<"/api/admin/forum/campaigns/{slug}/reset", "post">;

/** 422 SIGNATURE_NOT_FOUND details (verificationCodeFound only while ownership is unproven). */
export interface SignatureMismatch {
  missing: string[];
  unexpected: string[];
  verificationCodeFound?: boolean;
}
