import { describe, expect, it } from "vitest";
import type { ParsedProfile } from "./bitcointalk/profile.parser.ts";
import { hasVerificationCode } from "./forum-signature-check.ts";

const withSignature = (text: string | null): ParsedProfile => ({
  userId: 1,
  username: "m",
  position: "Member",
  posts: 0,
  activity: 0,
  merit: null,
  registeredAt: new Date("2020-01-01T00:00:00Z"),
  lastActiveAt: null,
  signature: text === null ? null : { text, links: [] },
});

describe("hasVerificationCode", () => {
  const code = "merit-7QK2M9XR";

  it("finds the code anywhere in the signature text, whatever the letter case", () => {
    expect(hasVerificationCode(withSignature(`Merit campaign | Join ${code}`), code)).toBe(true);
    expect(hasVerificationCode(withSignature(`(${code.toLowerCase()})`), code)).toBe(true);
  });

  it("does not accept another code, a longer word holding it, or no signature", () => {
    expect(hasVerificationCode(withSignature("Merit campaign | merit-7QK2M9XS"), code)).toBe(false);
    expect(hasVerificationCode(withSignature(`${code}Z`), code)).toBe(false);
    expect(hasVerificationCode(withSignature(`x${code}`), code)).toBe(false);
    expect(hasVerificationCode(withSignature(null), code)).toBe(false);
  });
});
