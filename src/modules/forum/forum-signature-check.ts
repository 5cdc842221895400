// Whether a scraped profile carries the chosen signature design: every link of the design must be there.
import type { ParsedProfile } from "./bitcointalk/profile.parser.ts";
import { compareSignatureLinks, extractBbcodeLinks } from "./bitcointalk/signature-links.ts";
import type { ProfileFetch } from "./scraper/bitcointalk-site.ts";

export interface SignatureState {
  found: boolean;
  links: string[];
  missing: string[];
  unexpected: string[];
}

/** Compares the profile's signature links with the links of the design's BBCode. */
export function signatureState(profile: ParsedProfile, designCode: string): SignatureState {
  const links = profile.signature?.links ?? [];
  const expected = extractBbcodeLinks(designCode);
  const diff = compareSignatureLinks(expected, links);
  // A design without links can only be checked by its text being present at all.
  const found = expected.length > 0 ? diff.missing.length === 0 : (profile.signature?.text ?? "").length > 0;
  return { found, links, missing: diff.missing, unexpected: diff.unexpected };
}

/**
 * Whether the claim's verification code is in the profile's signature text. Every participant wears
 * the same design, so only this code, known to the claimant alone, shows that whoever edited the
 * forum profile is the one claiming it. Letters are compared case-insensitively (members retype
 * codes); a longer word that merely contains the code does not count.
 */
export function hasVerificationCode(profile: ParsedProfile, code: string): boolean {
  const text = profile.signature?.text ?? "";
  const escaped = code.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![A-Za-z0-9-])${escaped}(?![A-Za-z0-9])`, "i").test(text);
}

/** What a scrape row records of one profile page read and its signature check (verify and checks alike). */
export function profileScrapeFields(page: ProfileFetch, state: SignatureState | null) {
  return {
    outcome: page.outcome,
    httpStatus: page.status,
    attempts: page.attempts,
    pages: page.profile ? 1 : 0,
    signatureFound: state?.found ?? null,
    links: state?.links ?? null,
    missingLinks: state?.missing ?? null,
    newPosts: null,
    error: page.error ?? null,
    durationMs: page.durationMs,
  };
}
