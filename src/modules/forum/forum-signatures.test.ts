// Signature designs listed for members (active only) and for admins (inactive ones too, to switch
// them back on).
import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { DESIGN_CODE, useForumTestEnv } from "./forum.test-support.ts";

const env = useForumTestEnv(new ManualClock("2026-03-02T12:00:00Z"));
let member: string;
let steward: string;
let admin: string;

beforeAll(async () => {
  member = (await signedInUser(env.merit, "mel")).accessToken;
  steward = (await signedInUser(env.merit, "stu", ["steward", "member"])).accessToken;
  admin = (await signedInUser(env.merit, "ada", ["admin", "member"])).accessToken;
});

const list = (query: string, token?: string) =>
  call(env.merit, "GET", `/api/forum/signatures${query}`, { token });
const names = (r: Awaited<ReturnType<typeof list>>) =>
  r.json().items.map((s: { name: string; active: boolean }) => [s.name, s.active]);

async function design(name: string, active: boolean, allowedRanks = ["Member", "Sr. Member"]) {
  const r = await call(env.merit, "POST", "/api/forum/signatures", {
    token: admin,
    body: { name, code: DESIGN_CODE, allowedRanks, active },
  });
  expect(r.statusCode).toBe(201);
  return r.json().id as string;
}

describe("inactive signature designs", () => {
  let retired: string;
  beforeAll(async () => {
    await design("Current", true);
    retired = await design("Retired", false);
    await design("Legend only", false, ["Legendary"]);
  });

  it("are left out for everyone by default", async () => {
    expect(names(await list(""))).toEqual([["Current", true]]);
    expect(names(await list("", admin))).toEqual([["Current", true]]);
    expect(names(await list("?includeInactive=false", member))).toEqual([["Current", true]]);
  });

  it("are listed, marked inactive, when an admin asks", async () => {
    const r = await list("?includeInactive=true", admin);
    expect(r.statusCode).toBe(200);
    // Same creation time on the manual clock: by name.
    expect(names(r)).toEqual([
      ["Current", true],
      ["Legend only", false],
      ["Retired", false],
    ]);
    expect(names(await list("?includeInactive=true&rank=legendary", admin))).toEqual([
      ["Legend only", false],
    ]);
  });

  it("are refused to anyone else asking for them", async () => {
    expect((await list("?includeInactive=true")).statusCode).toBe(401);
    const asMember = await list("?includeInactive=true", member);
    expect(asMember.statusCode).toBe(403);
    expect(asMember.json().error.code).toBe("FORBIDDEN");
    expect((await list("?includeInactive=true", steward)).statusCode).toBe(403);
    expect((await list("?includeInactive=perhaps", admin)).statusCode).toBe(400);
  });

  it("can be switched back on by an admin and are offered again", async () => {
    const patched = await call(env.merit, "PATCH", `/api/forum/signatures/${retired}`, {
      token: admin,
      body: { active: true },
    });
    expect(patched.json()).toMatchObject({ name: "Retired", active: true });
    expect(names(await list("?rank=member", member))).toEqual([
      ["Current", true],
      ["Retired", true],
    ]);
  });
});
