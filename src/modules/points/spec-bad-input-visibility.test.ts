// A contribution read by its id follows the visibility rule of lists and profiles: a hidden or
// banned participant's contributions are shown to staff and to that participant only; anyone else
// gets the unknown id's 404, so the answer does not tell that the contribution exists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { signedInUser } from "../accounts/accounts.test-support.ts";
import { createSpecWorld, expectError, NO_SUCH_ID, type SpecWorld, specApi } from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z");
let w: SpecWorld;
const { req, get, award } = specApi(() => w);
/** Another participant's access token (neither staff nor mia). */
let other: string;

beforeAll(async () => {
  w = await createSpecWorld(clock);
  other = (await signedInUser(w.merit, "zed")).accessToken;
}, 60_000);
afterAll(() => w?.merit.destroy());

describe("GET /api/contributions/:id of an excluded participant", () => {
  const excluders = {
    hidden: { hidden: true },
    banned: { banned: true, banReason: "spam" },
  } as const;

  for (const [how, patch] of Object.entries(excluders)) {
    it(`answers 404 for a ${how} participant's contribution to the public and other participants, 200 to staff and the participant`, async () => {
      const { id, userId } = await award("mia", "docs", 7, "2026-03-17T10:00:00Z");
      const edit = (body: Record<string, unknown>) =>
        req("PATCH", `/api/admin/users/${userId}`, { token: w.admin, body });
      expect((await edit(patch)).statusCode).toBe(200);
      try {
        const unknown = expectError(
          await get(`/api/contributions/${NO_SUCH_ID}`),
          404,
          "CONTRIBUTION_NOT_FOUND",
        );
        for (const token of [undefined, other]) {
          const e = expectError(await get(`/api/contributions/${id}`, token), 404, "CONTRIBUTION_NOT_FOUND");
          expect(e.message).toBe(unknown.message.replace(NO_SUCH_ID, id));
          expect(Object.keys(e)).toEqual(Object.keys(unknown));
        }
        // The participant reads their own (the hidden one signs in; a banned one's tokens are gone).
        const viewers = how === "hidden" ? [w.admin, w.steward, w.member] : [w.admin, w.steward];
        for (const token of viewers) {
          const r = await get(`/api/contributions/${id}`, token);
          expect(r.statusCode, r.body).toBe(200);
          expect(r.json()).toMatchObject({ id, username: "mia", points: 7 });
        }
        // Staff still revoke it, and the answer shows it to them.
        const revoked = await req("DELETE", `/api/contributions/${id}`, {
          token: w.steward,
          body: { reason: "test" },
        });
        expect(revoked.statusCode, revoked.body).toBe(200);
        expect(revoked.json().revokedAt).not.toBeNull();
      } finally {
        const restore = how === "hidden" ? { hidden: false } : { banned: false };
        expect((await edit(restore)).statusCode).toBe(200);
      }
      expect((await get(`/api/contributions/${id}`)).statusCode).toBe(200);
    });
  }
});
