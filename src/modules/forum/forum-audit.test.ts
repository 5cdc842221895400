// Forum admin changes (signature designs, rank bonuses, campaign rules, a campaign's data reset) are
// written to the audit log with who made them and what changed; refused changes write nothing.
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { listAuditLog } from "../accounts/audit.service.ts";
import { DESIGN_CODE, makeCampaign, useForumTestEnv, verifiedParticipant } from "./forum.test-support.ts";

const env = useForumTestEnv(new ManualClock("2026-03-02T12:00:00Z"));
const forum = () => env.merit.composition.forum;

async function events(type: string) {
  return (await listAuditLog({ db: env.merit.core.db }, env.admin, { type, limit: 100, offset: 0 })).items;
}

describe("forum changes in the audit log", () => {
  it("records signature designs created, edited and deleted; a design in use is not deleted or recorded", async () => {
    const sig = await forum().catalog.createSignature(env.admin, {
      name: "Spring banner",
      code: DESIGN_CODE,
      allowedRanks: ["Member"],
    });
    expect((await events("forum-signature.created"))[0]).toMatchObject({
      actorId: env.admin.userId,
      details: {
        site: "bitcointalk",
        signature: "Spring banner",
        signatureId: sig.id,
        allowedRanks: ["Member"],
      },
    });

    await forum().catalog.updateSignature(env.admin, sig.id, {
      allowedRanks: ["Member", "Full Member"],
      active: false,
    });
    expect((await events("forum-signature.updated"))[0].details).toEqual({
      site: "bitcointalk",
      signature: "Spring banner",
      signatureId: sig.id,
      changes: {
        allowedRanks: { from: ["Member"], to: ["Member", "Full Member"] },
        active: { from: true, to: false },
      },
    });

    await forum().catalog.deleteSignature(env.admin, sig.id);
    expect((await events("forum-signature.deleted"))[0].details).toEqual({
      site: "bitcointalk",
      signature: "Spring banner",
      signatureId: sig.id,
    });

    // A design someone wears stays, and the refusal leaves no event.
    await makeCampaign(env, { slug: "worn" });
    const { profileId } = await verifiedParticipant(env, "worn");
    const profile = (await forum().admin.profiles(env.admin, "worn")).find((p) => p.id === profileId)!;
    await expect(forum().catalog.deleteSignature(env.admin, profile.signatureId!)).rejects.toMatchObject({
      code: "SIGNATURE_IN_USE",
    });
    expect(await events("forum-signature.deleted")).toHaveLength(1);
  });

  it("records a rank's bonus and admission changes", async () => {
    const rank = (await forum().catalog.listRanks("bitcointalk")).find((r) => r.name === "Hero Member")!;
    await forum().catalog.updateRank(env.admin, rank.id, { bonusPercent: "35", allowed: rank.allowed });
    const [e] = await events("forum-rank.updated");
    expect(e).toMatchObject({
      actorId: env.admin.userId,
      details: {
        site: "bitcointalk",
        rank: "Hero Member",
        rankId: rank.id,
        changes: { bonusPercent: { from: rank.bonusPercent, to: "35" } },
      },
    });
    expect(Object.keys(e.details.changes as object)).toEqual(["bonusPercent"]);
  });

  it("records a forum campaign created, its rules changed, and its data reset", async () => {
    const c = await makeCampaign(env, { slug: "spring", postPoints: "2" });
    // (Events share the manual clock's instant here, so they are picked by campaign, not by order.)
    const created = (await events("forum-campaign.created")).find(
      (x) => x.details.forumCampaign === "spring",
    );
    expect(created).toMatchObject({
      actorId: env.admin.userId,
      details: {
        forumCampaign: "spring",
        forumCampaignId: c.id,
        postPoints: "2",
        pointsCampaignId: c.pointsCampaignId,
      },
    });
    // Its points side (campaign and scored type) is recorded as kept by the forum.
    expect((await events("campaign.created")).find((x) => x.details.campaign === "spring")).toMatchObject({
      details: { managedBy: "forum" },
    });

    await forum().catalog.updateCampaign(env.admin, "spring", { postPoints: "3", maturationMinutes: 60 });
    await expect(
      forum().catalog.updateCampaign(env.admin, "spring", { postPoints: "-1" }),
    ).rejects.toMatchObject({
      status: 422,
    });
    const updated = (await events("forum-campaign.updated")).filter(
      (x) => x.details.forumCampaign === "spring",
    );
    expect(updated).toHaveLength(1);
    expect(updated[0].details).toEqual({
      forumCampaign: "spring",
      forumCampaignId: c.id,
      changes: {
        postPoints: { from: "2", to: "3" },
        maturationMinutes: { from: c.maturationMinutes, to: 60 },
      },
    });

    await expect(forum().admin.reset(env.admin, "spring", "wrong")).rejects.toMatchObject({
      code: "CONFIRMATION_MISMATCH",
    });
    expect(await events("forum-campaign.reset")).toHaveLength(0);
    await forum().admin.reset(env.admin, "spring", "spring");
    expect((await events("forum-campaign.reset"))[0].details).toEqual({
      forumCampaign: "spring",
      forumCampaignId: c.id,
      deletedPosts: 0,
      deletedScrapes: 0,
      revokedContributions: 0,
    });
  });
});
