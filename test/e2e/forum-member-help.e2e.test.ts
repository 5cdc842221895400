// A forum member who lost their signature finds its code again on their dashboard, right under the
// warning, and copies it; a forum campaign's points board leads to joining the campaign and its rules.
import { beforeAll, describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import {
  type ApiCall,
  DEMO_ADMIN,
  PHONE,
  poll,
  type Session,
  screenshot,
  sidewaysOverflow,
  text,
  textOf,
  useForumSuite,
} from "./journeys.ts";

/** Seeded by the demo: the forum campaign and carol's verified profile, wearing the first design. */
const SLUG = "vtx-signature";
const CAROL = { login: "carol", password: "Merit-demo-2026!" };
const DAVE = { login: "dave", password: "Merit-demo-2026!" };
/** The demo's first design (src/modules/forum/forum-demo.ts), the one carol chose. */
const DESIGN_CODE =
  "[b][url=https://merit-demo.example/campaign]Merit Demo Campaign[/url][/b] | www.merit-demo.example/join";

interface MyProfile {
  signatureFound: boolean | null;
  signatureId: string | null;
  position: string;
}

describe.skipIf(isBrowserUnavailable)("forum member help", () => {
  // carol's forum account wears a signature of its own, without the campaign design.
  const suite = useForumSuite((sim) => {
    sim.addMember({ id: 900_003, name: "hodl_hannes", position: "Member", signature: "hodl" });
  });
  let carol: Session;
  let dave: Session;
  let asAdmin: ApiCall;

  beforeAll(async () => {
    carol = await suite.login(CAROL);
    dave = await suite.login(DAVE);
    // Check carol's profile now (the scheduler would, later): the design is missing.
    asAdmin = suite.as(await suite.login(DEMO_ADMIN));
    const profiles = await asAdmin<{ items: Array<{ id: string; meritUsername: string }> }>(
      "GET",
      `/api/admin/forum/campaigns/${SLUG}/profiles`,
    );
    const profile = profiles.items.find((p) => p.meritUsername === CAROL.login);
    if (!profile) throw new Error("The demo has no forum profile for carol");
    await asAdmin("POST", `/api/admin/forum/profiles/${profile.id}/rescrape`);
  });

  it("shows carol the signature code to wear right under the missing-signature warning", async () => {
    await poll(async () => {
      const mine = await suite.as(carol)<{ items: MyProfile[] }>("GET", "/api/forum/profiles/mine");
      return mine.items[0]?.signatureFound;
    }, 30_000).toBe(false);

    const page = await suite.openSignedIn(carol);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: suite.url });
    await page.goto(`${suite.url}/forum/dashboard`);
    const profile = page.getByTestId("forum-profile");
    await profile.getByTestId("forum-signature-missing").waitFor();
    const help = profile.getByTestId("member-signature");
    await expect(help.getAttribute("data-state")).resolves.toBe("missing");
    // Open, not folded: the code, where it goes on the forum, and a copy button.
    const code = help.getByTestId("member-signature-code");
    await poll(() => code.inputValue()).toBe(DESIGN_CODE);
    await expect(code.isVisible()).resolves.toBe(true);
    await expect(code.getAttribute("readonly")).resolves.not.toBeNull();
    await expect(text(help)).resolves.toContain(
      "Paste this into your forum profile's signature: Profile → Forum Profile Information → Signature",
    );
    // Under the warning: the block starts below the badge.
    const [badge, block] = await Promise.all([
      profile.getByTestId("forum-signature-missing").boundingBox(),
      help.boundingBox(),
    ]);
    expect(block!.y).toBeGreaterThan(badge!.y + badge!.height - 1);

    await help.getByRole("button", { name: "Copy" }).click();
    await poll(() => text(help.getByTestId("copy-button"))).toBe("Copied ✓");
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(DESIGN_CODE);

    // With no credited points, the estimate says so instead of a bare dash.
    const estimate = await text(profile.locator(".stat.accent"));
    expect(estimate).not.toContain("–");
    expect(estimate).toContain("No share yet");
    await screenshot(page, "forum-member-signature-missing");

    const phone = await suite.openSignedIn(carol, PHONE);
    await phone.goto(`${suite.url}/forum/dashboard`);
    await poll(() => phone.getByTestId("member-signature-code").inputValue()).toBe(DESIGN_CODE);
    expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, "forum-member-signature-missing-mobile");
  });

  it("leads from the forum campaign's board to joining it and to its rules", async () => {
    // dave has not joined: the page offers the join steps and the rules.
    const page = await suite.openSignedIn(dave);
    await page.goto(`${suite.url}/campaigns/${SLUG}`);
    const cta = page.getByTestId("forum-campaign-cta");
    const join = cta.getByTestId("join-forum-campaign");
    await join.waitFor();
    await expect(text(join)).resolves.toBe("Join the signature campaign");
    await expect(join.getAttribute("href")).resolves.toBe(`/forum/join?campaign=${SLUG}`);
    const rules = cta.getByTestId("forum-campaign-rules");
    await expect(text(rules)).resolves.toBe("Rules");
    await expect(rules.getAttribute("href")).resolves.toBe(`/forum?campaign=${SLUG}`);
    await screenshot(page, "forum-member-campaign-cta");

    // The links land on the campaign's join steps and its rules.
    await join.click();
    await page.waitForURL(`${suite.url}/forum/join?campaign=${SLUG}`);
    await poll(() => page.locator("h1").first().textContent()).toBe("Join VTX signature campaign (demo)");
    await page.goBack();
    await rules.click();
    await page.waitForURL(`${suite.url}/forum?campaign=${SLUG}`);
    await poll(() => textOf(page, "forum-campaign-name")).toBe("VTX signature campaign (demo)");

    // carol is in already: her way from the board is her dashboard, the rules stay.
    const member = await suite.openSignedIn(carol);
    await member.goto(`${suite.url}/campaigns/${SLUG}`);
    await member.getByTestId("forum-campaign-dashboard").waitFor();
    await expect(member.getByTestId("join-forum-campaign").count()).resolves.toBe(0);
    await expect(member.getByTestId("forum-campaign-rules").isVisible()).resolves.toBe(true);

    // Signed out, the page still leads to joining (the join steps ask to sign in first).
    const visitor = await suite.openPage();
    await visitor.goto(`${suite.url}/campaigns/${SLUG}`);
    await visitor.getByTestId("join-forum-campaign").waitFor();
    await expect(textOf(visitor, "forum-campaign-rules")).resolves.toBe("Rules");
  });

  it("lets carol pick another design when hers is no longer offered, and shows its code", async () => {
    const [mine] = (await suite.as(carol)<{ items: MyProfile[] }>("GET", "/api/forum/profiles/mine")).items;
    const code = "[url=https://merit-demo.example/winter]Winter banner[/url]";
    await asAdmin("POST", "/api/forum/signatures", {
      name: "Winter banner",
      code,
      allowedRanks: [mine.position],
    });
    await asAdmin("PATCH", `/api/forum/signatures/${mine.signatureId}`, { active: false });

    const page = await suite.openSignedIn(carol);
    await page.goto(`${suite.url}/forum/dashboard`);
    const chooser = page.getByTestId("member-signature-choose");
    await chooser.waitFor();
    await chooser
      .getByLabel("Your design is no longer offered: choose another one")
      .selectOption({ label: "Winter banner" });
    await chooser.getByRole("button", { name: "Wear this design" }).click();
    await poll(() => page.getByTestId("member-signature-code").inputValue()).toBe(code);
    const after = (await suite.as(carol)<{ items: MyProfile[] }>("GET", "/api/forum/profiles/mine")).items[0];
    expect(after.signatureId).not.toBe(mine.signatureId);
  });
});
