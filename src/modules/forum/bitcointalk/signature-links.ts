// Signature links: what a member's signature points to, read from forum HTML or from BBCode.
import type { Element } from "domhandler";
import { findAll } from "./dom-walk.ts";

const FORUM_BASE = "https://bitcointalk.org/";
const IMAGE_PROXY_HOST = "ip.bitcointalk.org";

/**
 * Makes a link absolute and undoes the forum's image proxy (`ip.bitcointalk.org/?u=<real>`).
 * Returns null for anything that is not an http(s) URL (mailto:, javascript:, junk).
 */
export function absoluteLink(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href.trim(), FORUM_BASE);
  } catch {
    return null;
  }
  if (url.hostname === IMAGE_PROXY_HOST) {
    const real = url.searchParams.get("u");
    if (real) return absoluteLink(real);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return url.href;
}

/**
 * The one normalisation used to decide whether two links are "the same": lower-case scheme and
 * host (URL does that), default port dropped, trailing slash of the path ignored.
 */
export function canonicalLink(link: string): string {
  const absolute = absoluteLink(link);
  if (!absolute) return link.trim();
  const url = new URL(absolute);
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path}${url.search}${url.hash}`;
}

/** Absolute links of `a[href]` inside a signature element, deduplicated, in document order. */
export function extractSignatureLinks(signature: Element): string[] {
  const links: string[] = [];
  for (const a of findAll(signature, (el) => el.name === "a" && el.attribs.href !== undefined)) {
    const link = absoluteLink(a.attribs.href);
    if (link) links.push(link);
  }
  return dedupeLinks(links);
}

function dedupeLinks(links: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const link of links) {
    const key = canonicalLink(link);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(link);
  }
  return out;
}

const BBCODE_LINK_TAGS =
  /\[(url|iurl)(?:=("?)([^\]"]*)\2)?\]([\s\S]*?)\[\/\1\]|\[img(?:[^\]]*)\][\s\S]*?\[\/img\]/gi;
const BARE_URL = /\b(?:https?:\/\/|www\.)[^\s[\]<>"]+/gi;

/**
 * Links a BBCode signature will show once rendered: `[url=X]`, `[url]X[/url]` and bare URLs the
 * forum auto-links. An `[img]` source is not a link unless the image sits inside a `[url]`.
 */
export function extractBbcodeLinks(bbcode: string): string[] {
  const links: string[] = [];
  let cursor = 0;
  for (const match of bbcode.matchAll(BBCODE_LINK_TAGS)) {
    links.push(...bareLinks(bbcode.slice(cursor, match.index)));
    cursor = match.index + match[0].length;
    if (!match[1]) continue; // an [img] outside any [url]
    const target = match[3] !== undefined && match[3] !== "" ? match[3] : match[4].replace(/\[[^\]]*\]/g, "");
    const link = absoluteLink(/^www\./i.test(target.trim()) ? `http://${target.trim()}` : target);
    if (link) links.push(link);
  }
  links.push(...bareLinks(bbcode.slice(cursor)));
  return dedupeLinks(links);
}

function bareLinks(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(BARE_URL)) {
    const raw = match[0].replace(/[.,;:!?)]+$/, "");
    const link = absoluteLink(/^www\./i.test(raw) ? `http://${raw}` : raw);
    if (link) out.push(link);
  }
  return out;
}

export interface SignatureLinkDiff {
  /** Required links the signature does not contain. */
  missing: string[];
  /** Links in the signature that were not asked for. */
  unexpected: string[];
}

/** Compares the links a campaign requires with those found, using `canonicalLink` on both sides. */
export function compareSignatureLinks(expected: string[], found: string[]): SignatureLinkDiff {
  const foundKeys = new Set(found.map(canonicalLink));
  const expectedKeys = new Set(expected.map(canonicalLink));
  return {
    missing: dedupeLinks(expected.filter((link) => !foundKeys.has(canonicalLink(link)))),
    unexpected: dedupeLinks(found.filter((link) => !expectedKeys.has(canonicalLink(link)))),
  };
}
