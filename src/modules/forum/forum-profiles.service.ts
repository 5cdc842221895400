// A participant's forum profiles: look up a forum account, claim it for a campaign, choose a
// signature design and verify it is in place. Only the owner may touch a profile.
//
// Claiming proves nothing: several Merit users may hold unverified claims of one forum account.
// The first verification of a claim also proves ownership (the claim's own code is on the forum
// profile); from then on that claim holds the account and the others are gone.

import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { AppError, conflict, forbidden, notFound, unprocessable } from "../../core/errors.ts";
import { type Actor, hasRole, requireActor } from "../../core/http/actor.ts";
import * as catalog from "./forum-catalog.repo.ts";
import {
  hasVerificationCode,
  profileScrapeFields,
  type SignatureState,
  signatureState,
} from "./forum-signature-check.ts";
import { DEFAULT_FORUM_SITE } from "./forum-sites.ts";
import * as repo from "./forum-tracking.repo.ts";
import { dec, postView, profileView } from "./forum-views.ts";
import { type ForumSiteClient, type ProfileFetch, parseForumUser } from "./scraper/bitcointalk-site.ts";

export interface ProfilesDeps {
  db: Database;
  clock: Clock;
  site: (siteId: string) => ForumSiteClient;
}

const forumUnavailable = (outcome: string) =>
  new AppError(503, "FORUM_UNAVAILABLE", "The forum did not answer properly; try again in a few minutes", {
    outcome,
  });

const takenByOther = () =>
  conflict("ALREADY_CLAIMED", "Another Merit account has verified this forum account");

/** Builds the profiles service. */
export function createProfilesService(deps: ProfilesDeps) {
  const { db, clock } = deps;

  async function lookUp(siteId: string, forumUser: string) {
    if (!(await catalog.findSite(db.orm, siteId)))
      throw notFound("FORUM_SITE_NOT_FOUND", `No forum site "${siteId}"`);
    const forumUserId = parseForumUser(forumUser);
    if (forumUserId === null) {
      throw unprocessable("INVALID_FORUM_USER", "Give a forum user id or a profile URL", {
        field: "forumUser",
      });
    }
    const page = await deps.site(siteId).fetchProfile(forumUserId);
    if (page.outcome === "not-found") return { forumUserId, profile: null };
    if (!page.profile) throw forumUnavailable(page.outcome);
    return { forumUserId, profile: page.profile };
  }

  async function owned(actor: Actor | null, id: string) {
    const me = requireActor(actor);
    const p = await repo.findProfile(db.orm, id);
    if (!p) throw notFound("PROFILE_NOT_FOUND", "No forum profile with this id");
    if (p.user_id !== me.userId)
      throw forbidden("NOT_PROFILE_OWNER", "This forum profile belongs to someone else");
    return p;
  }

  /** Why a verification fails, or null when the design (and, before ownership is proven, the code) is there. */
  async function verifyFailure(
    p: repo.ProfileRow,
    page: ProfileFetch,
    state: SignatureState | null,
  ): Promise<AppError | null> {
    if (page.outcome === "not-found")
      return notFound("FORUM_USER_NOT_FOUND", "The forum account no longer exists");
    if (!page.profile || !state) return forumUnavailable(page.outcome);
    const rank = await catalog.ensureRank(db.orm, p.site_id, page.profile.position || "Brand new");
    if (!rank.allowed) {
      return forbidden("RANK_NOT_ALLOWED", `The rank "${rank.name}" may not join this campaign`, {
        position: rank.name,
      });
    }
    // Once proven, the code may leave the forum profile: re-verifying a new design looks for links only.
    const needsCode = p.owner_verified_at === null;
    const codeFound = needsCode ? hasVerificationCode(page.profile, p.verification_code) : true;
    if (!state.found) {
      return unprocessable(
        "SIGNATURE_NOT_FOUND",
        "The forum signature does not contain every link of the design",
        {
          missing: state.missing,
          unexpected: state.unexpected,
          ...(needsCode ? { verificationCodeFound: codeFound } : {}),
        },
      );
    }
    if (!codeFound) {
      return unprocessable(
        "VERIFICATION_CODE_NOT_FOUND",
        `Your verification code ${p.verification_code} is not in your forum signature. Add it anywhere in the signature, next to the design, save your forum profile and verify again; once verified you may remove it.`,
        { verificationCode: p.verification_code },
      );
    }
    return null;
  }

  async function slugOf(campaignId: string) {
    return (await catalog.findCampaignById(db.orm, campaignId))?.slug ?? null;
  }

  return {
    /** Fetches a forum account and says whether its rank may join and whether it is taken. */
    async check(
      actor: Actor | null,
      { site = DEFAULT_FORUM_SITE, ...input }: { site?: string; forumUser: string },
    ) {
      const me = requireActor(actor);
      const { forumUserId, profile } = await lookUp(site, input.forumUser);
      if (!profile)
        return { found: false, forumUserId, username: null, position: null, allowed: false, claimed: false };
      const rank = await catalog.findRankByName(db.orm, site, profile.position);
      const owned = await repo.findOwnedProfileByForumUser(db.orm, site, forumUserId);
      const mine = await repo.findClaimOfUser(db.orm, me.userId, site, forumUserId);
      return {
        found: true,
        forumUserId,
        username: profile.username,
        position: profile.position,
        allowed: rank?.allowed ?? false,
        bonusPercent: rank ? dec(rank.bonus_percent) : "0",
        // Unverified claims reserve nothing, so they are not reported (nor whose they are).
        claimed: owned !== null,
        claimedByMe: mine !== null,
      };
    },

    /**
     * Claims a forum account for the caller in a campaign (one forum account per Merit user and
     * site) and returns the claim's verification code. Refused only when the account's owner has
     * already been proven; other users' unverified claims do not block anyone.
     */
    async claim(
      actor: Actor | null,
      { site = DEFAULT_FORUM_SITE, ...input }: { site?: string; forumUser: string; campaign: string },
    ) {
      const me = requireActor(actor);
      const campaign = await catalog.findCampaignBySlug(db.orm, input.campaign);
      if (!campaign)
        throw unprocessable("CAMPAIGN_NOT_FOUND", `No forum campaign "${input.campaign}"`, {
          field: "campaign",
        });
      if (campaign.site_id !== site) {
        throw unprocessable("WRONG_SITE", "This campaign runs on another forum site", { field: "site" });
      }
      if (campaign.ends_at && campaign.ends_at <= clock.now()) {
        throw unprocessable("CAMPAIGN_ENDED", "This campaign has ended", { field: "campaign" });
      }
      const { forumUserId, profile } = await lookUp(site, input.forumUser);
      if (!profile)
        throw unprocessable("FORUM_USER_NOT_FOUND", `No forum user ${forumUserId}`, { field: "forumUser" });
      const rank = await catalog.ensureRank(db.orm, site, profile.position || "Brand new");
      if (!rank.allowed) {
        throw forbidden("RANK_NOT_ALLOWED", `The rank "${rank.name}" may not join this campaign`, {
          position: rank.name,
        });
      }
      return db.transaction(async (tx) => {
        await repo.lockForumAccount(tx, site, forumUserId);
        const own = await repo.findClaimOfUser(tx, me.userId, site, forumUserId);
        if (own) return { id: own.id, verificationCode: own.verification_code, created: false };
        if (await repo.findOwnedProfileByForumUser(tx, site, forumUserId)) throw takenByOther();
        const mine = await repo.findProfileOfUser(tx, me.userId, site);
        if (mine) {
          throw conflict("ALREADY_CLAIMED", "You already have a forum profile on this site", {
            profileId: mine.id,
          });
        }
        const row = await repo.insertProfile(
          tx,
          {
            userId: me.userId,
            siteId: site,
            campaignId: campaign.id,
            forumUserId,
            username: profile.username,
            position: profile.position,
          },
          clock.now(),
        );
        if (!row) throw conflict("ALREADY_CLAIMED", "You claimed a forum account on this site a moment ago");
        return { id: row.id, verificationCode: row.verification_code, created: true };
      });
    },

    /** Chooses the signature design for the caller's own profile; returns the BBCode to copy. */
    async chooseSignature(actor: Actor | null, id: string, signatureId: string) {
      const p = await owned(actor, id);
      const sig = await catalog.findSignature(db.orm, signatureId);
      if (!sig?.active || sig.site_id !== p.site_id) {
        throw unprocessable("SIGNATURE_NOT_AVAILABLE", "This signature design is not available", {
          field: "signatureId",
        });
      }
      if (!sig.allowed_ranks.some((r) => r.toLowerCase() === p.position.toLowerCase())) {
        throw unprocessable(
          "SIGNATURE_NOT_ALLOWED",
          `This design is not offered to the rank "${p.position}"`,
          {
            field: "signatureId",
          },
        );
      }
      await repo.setSignature(db.orm, id, signatureId);
      return { code: sig.code };
    },

    /**
     * Withdraws the caller's own claim while its ownership is unproven (a mistyped forum account, say),
     * so another account can be claimed. 409 CLAIM_VERIFIED once proven: verified profiles carry posts.
     */
    async withdraw(actor: Actor | null, id: string): Promise<void> {
      const p = await owned(actor, id);
      await db.transaction(async (tx) => {
        await repo.lockForumAccount(tx, p.site_id, p.forum_user_id);
        // Another user's proof may have removed it since it was read.
        if (!(await repo.findProfile(tx, p.id)))
          throw notFound("PROFILE_NOT_FOUND", "No forum profile with this id");
        if (!(await repo.deleteUnprovenClaim(tx, p.id))) {
          throw conflict(
            "CLAIM_VERIFIED",
            "This forum account is verified as yours and has posts tracked; it cannot be withdrawn",
          );
        }
      });
    },

    /**
     * Reads the caller's forum profile now and verifies that every link of the chosen design is
     * there and, until ownership has been proven once, the claim's verification code too. Proving
     * ownership removes the other users' unverified claims of the forum account.
     */
    async verify(actor: Actor | null, id: string) {
      const p = await owned(actor, id);
      if (!p.signature_id) throw unprocessable("SIGNATURE_NOT_CHOSEN", "Choose a signature design first");
      const sig = await catalog.findSignature(db.orm, p.signature_id);
      if (!sig) throw unprocessable("SIGNATURE_NOT_CHOSEN", "Choose a signature design first");
      const page = await deps.site(p.site_id).fetchProfile(p.forum_user_id);
      const at = clock.now();
      const state = page.profile ? signatureState(page.profile, sig.code) : null;
      const failure = await verifyFailure(p, page, state);
      // The scrape is logged whatever the outcome, under the forum account's lock: a proof removing
      // rival claims never races a rival's scrape row pointing at its claim.
      const refused = await db.transaction(async (tx) => {
        await repo.lockForumAccount(tx, p.site_id, p.forum_user_id);
        const current = await repo.findProfile(tx, p.id);
        await repo.insertScrape(tx, {
          profileId: current ? p.id : null,
          campaignId: p.campaign_id,
          siteId: p.site_id,
          forumUserId: p.forum_user_id,
          kind: "verify",
          ...profileScrapeFields(page, state),
          at,
        });
        if (failure) return failure;
        const holder = await repo.findOwnedProfileByForumUser(tx, p.site_id, p.forum_user_id);
        // Gone: the owner verified first and removed this claim.
        if (!current || (holder && holder.id !== p.id)) return takenByOther();
        if (!holder) await repo.dropRivalClaims(tx, current);
        const profile = page.profile as NonNullable<typeof page.profile>;
        await repo.markVerified(tx, p.id, at, { username: profile.username, position: profile.position });
        return null;
      });
      if (refused) throw refused;
      return { verified: true as const };
    },

    /** The caller's forum profiles with their points so far (and each claim's verification code). */
    async mine(actor: Actor | null) {
      const me = requireActor(actor);
      const out = [];
      for (const p of await repo.listProfilesOfUser(db.orm, me.userId)) {
        const posts = await repo.listPostsOfProfile(db.orm, p.id);
        const sum = (status: string) =>
          posts
            .filter((x) => x.status === status)
            .reduce((s, x) => s.plus(x.points), new Decimal(0))
            .toFixed();
        out.push({
          ...profileView(p, await slugOf(p.campaign_id)),
          verificationCode: p.verification_code,
          points: { credited: sum("credited"), pending: sum("pending") },
          posts: {
            pending: posts.filter((x) => x.status === "pending").length,
            credited: posts.filter((x) => x.status === "credited").length,
            uncredited: posts.filter((x) => x.status === "uncredited").length,
          },
        });
      }
      return out;
    },

    /** Posts tracked for a profile (its owner, or admins and stewards). */
    async posts(actor: Actor | null, id: string) {
      const me = requireActor(actor);
      const p = await repo.findProfile(db.orm, id);
      if (!p) throw notFound("PROFILE_NOT_FOUND", "No forum profile with this id");
      if (p.user_id !== me.userId && !hasRole(me, "admin", "steward")) {
        throw forbidden("NOT_PROFILE_OWNER", "This forum profile belongs to someone else");
      }
      return (await repo.listPostsOfProfile(db.orm, id)).map(postView);
    },
  };
}

export type ProfilesService = ReturnType<typeof createProfilesService>;
