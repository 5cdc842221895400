// Whether a scraped profile carries the chosen signature design: every link of the design must be there.
import type { ParsedProfile } from "./bitcointalk/profile.parser.ts";
import { compareSignatureLinks, extractBbcodeLinks } from "./bitcointalk/signature-links.ts";

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
