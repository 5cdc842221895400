// The forum campaigns API as functions over the typed client. Paths, params, bodies and responses are
// checked against the generated OpenAPI schema.
import { api } from "$lib/api/api";
import type {
  AdminPost,
  AdminProfile,
  CampaignInput,
  CampaignPatch,
  CheckResult,
  ClaimResult,
  Coverage,
  ForumCampaign,
  ForumPost,
  ForumRank,
  ForumSite,
  MyProfile,
  NewSignatureDesign,
  RescrapeResult,
  ResetResult,
  Scrape,
  SignatureDesign,
  Standings,
} from "./types";

interface List<T> {
  items: T[];
  total: number;
}

export const forum = {
  sites: (signal?: AbortSignal): Promise<List<ForumSite>> => api.get("/api/forum/sites", { signal }),
  ranks: (site = "bitcointalk", signal?: AbortSignal): Promise<List<ForumRank>> =>
    api.get("/api/forum/ranks", { query: { site }, signal }),
  signatures: (
    query: { site?: string; rank?: string; includeInactive?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<List<SignatureDesign>> => api.get("/api/forum/signatures", { query, signal }),
  campaigns: (signal?: AbortSignal): Promise<List<ForumCampaign>> =>
    api.get("/api/forum/campaigns", { signal }),
  campaign: (slug: string, signal?: AbortSignal): Promise<ForumCampaign> =>
    api.get("/api/forum/campaigns/{slug}", { path: { slug }, signal }),
  standings: (slug: string, signal?: AbortSignal): Promise<Standings> =>
    api.get("/api/forum/campaigns/{slug}/standings", { path: { slug }, signal }),

  check: (forumUser: string, site = "bitcointalk"): Promise<CheckResult> =>
    api.post("/api/forum/profiles/check", { body: { site, forumUser } }),
  claim: (forumUser: string, campaign: string, site = "bitcointalk"): Promise<ClaimResult> =>
    api.post("/api/forum/profiles", { body: { site, forumUser, campaign } }),
  chooseSignature: (id: string, signatureId: string): Promise<{ code: string }> =>
    api.post("/api/forum/profiles/{id}/signature", { path: { id }, body: { signatureId } }),
  verify: (id: string): Promise<{ verified: true }> =>
    api.post("/api/forum/profiles/{id}/verify", { path: { id } }),
  mine: (signal?: AbortSignal): Promise<List<MyProfile>> => api.get("/api/forum/profiles/mine", { signal }),
  /** Withdraws the caller's own claim while ownership is unproven (409 CLAIM_VERIFIED after). */
  withdraw: (id: string): Promise<void> => api.delete("/api/forum/profiles/{id}", { path: { id } }),
  posts: (id: string, signal?: AbortSignal): Promise<List<ForumPost>> =>
    api.get("/api/forum/profiles/{id}/posts", { path: { id }, signal }),
  /** Posts and points per UTC day of writing, the last `days` days up to today (zero-filled). */
  daily: (id: string, days = 30, signal?: AbortSignal) =>
    api.get("/api/forum/profiles/{id}/daily", { path: { id }, query: { days }, signal }),

  // admin
  updateRank: (id: string, body: { bonusPercent?: string; allowed?: boolean }): Promise<ForumRank> =>
    api.patch("/api/forum/ranks/{id}", { path: { id }, body }),
  createSignature: (body: NewSignatureDesign): Promise<SignatureDesign> =>
    api.post("/api/forum/signatures", { body }),
  updateSignature: (id: string, body: Partial<NewSignatureDesign>): Promise<SignatureDesign> =>
    api.patch("/api/forum/signatures/{id}", { path: { id }, body }),
  deleteSignature: (id: string): Promise<void> => api.delete("/api/forum/signatures/{id}", { path: { id } }),
  createCampaign: (body: CampaignInput): Promise<ForumCampaign> => api.post("/api/forum/campaigns", { body }),
  updateCampaign: (slug: string, body: CampaignPatch): Promise<ForumCampaign> =>
    api.patch("/api/forum/campaigns/{slug}", { path: { slug }, body }),
  adminProfiles: (slug: string, signal?: AbortSignal): Promise<List<AdminProfile>> =>
    api.get("/api/admin/forum/campaigns/{slug}/profiles", { path: { slug }, signal }),
  scrapes: (id: string, limit = 50, signal?: AbortSignal): Promise<List<Scrape>> =>
    api.get("/api/admin/forum/profiles/{id}/scrapes", { path: { id }, query: { limit }, signal }),
  rescrape: (id: string): Promise<RescrapeResult> =>
    api.post("/api/admin/forum/profiles/{id}/rescrape", { path: { id } }),
  adminPosts: (
    slug: string,
    query: { status?: "pending" | "credited" | "uncredited"; limit?: number; offset?: number },
    signal?: AbortSignal,
  ): Promise<List<AdminPost>> =>
    api.get("/api/admin/forum/campaigns/{slug}/posts", { path: { slug }, query, signal }),
  coverage: (slug: string, signal?: AbortSignal): Promise<Coverage> =>
    api.get("/api/admin/forum/campaigns/{slug}/coverage", { path: { slug }, signal }),
  reset: (slug: string, confirm: string): Promise<ResetResult> =>
    api.post("/api/admin/forum/campaigns/{slug}/reset", { path: { slug }, body: { confirm } }),
};
