// Parser for the member profile page: index.php?action=profile;u=UID
import type { Document } from "domhandler";
import { bodyText, matchInt, parseForumDate, readPage } from "./bitcointalk-page.ts";
import { childElements, findAll, findFirst, tagClass, textOf } from "./dom-walk.ts";
import { extractSignatureLinks } from "./signature-links.ts";

export interface ParsedSignature {
  /** Visible text, whitespace collapsed. */
  text: string;
  links: string[];
}

export interface ParsedProfile {
  userId: number;
  username: string;
  position: string;
  posts: number;
  activity: number;
  /** Null on pages from before the Merit system (2018) or when the row is hidden. */
  merit: number | null;
  registeredAt: Date;
  lastActiveAt: Date | null;
  signature: ParsedSignature | null;
}

export type PageKind = "ok" | "not-found" | "rate-limited" | "cloudflare" | "error";

const CLOUDFLARE_MARKERS = [
  /<title>\s*Just a moment\.\.\.\s*<\/title>/i,
  /cf-challenge/i,
  /cf_chl/i,
  /challenge-platform/i,
];
const RATE_LIMIT_MARKERS = [/You are requesting too fast/i, /server is (too )?busy/i, /too many requests/i];
const NOT_FOUND_MARKERS = [
  /The user whose profile you are trying to view does not exist/i,
  /The topic or board you are looking for appears to be either missing or off limits/i,
];

/** SMF's error box (`tr.titlebg` "An Error Has Occurred!"): markup members cannot write in a post. */
const ERROR_BOX = /<tr class="titlebg">\s*<td>\s*An Error Has Occurred!\s*<\/td>/i;
/** Every full forum page ends here; a page that stops earlier was cut off mid-render or mid-transfer. */
const PAGE_END = /<\/html>\s*(?:<!--[\s\S]*?-->\s*)*$/i;

/**
 * Classifies a fetched page before parsing, so callers can retry, back off or give up. Body
 * markers win over the status code because challenges and busy pages often come as 403/503. On a
 * normal forum page they are looked for only in SMF's error box: elsewhere they are what members
 * wrote (a post quoting "You are requesting too fast" is a good page, not throttling).
 */
export function classifyPage(html: string, status: number): PageKind {
  const isForumPage = /id="bodyarea"/.test(html);
  const isErrorBox = isForumPage && ERROR_BOX.test(html);
  const hasMarker = (markers: RegExp[]) =>
    (!isForumPage || isErrorBox) && markers.some((re) => re.test(html));
  if (hasMarker(CLOUDFLARE_MARKERS)) return "cloudflare";
  if (status === 429 || hasMarker(RATE_LIMIT_MARKERS)) return "rate-limited";
  if (status >= 500) return "error";
  if (status === 404 || hasMarker(NOT_FOUND_MARKERS)) return "not-found";
  if (status >= 400 || status < 200) return "error";
  // A 200 that is not a forum page (proxy splash, truncated body) must not be parsed as one.
  if (!isForumPage || isErrorBox || !PAGE_END.test(html)) return "error";
  return "ok";
}

/** Reads the member fields of a profile page; throws if the page is not a profile summary. */
export function parseProfilePage(html: string): ParsedProfile {
  const { root, headerNow } = readPage(html);
  const fields = readFields(root);

  const username = fields.get("name");
  const userId = readUserId(root);
  if (username === undefined || userId === null) throw new Error("Not a Bitcointalk profile page");

  const registered = fields.get("date registered");
  if (!registered) throw new Error("Profile page has no registration date");
  const lastActive = fields.get("last active");

  return {
    userId,
    username,
    position: fields.get("position") ?? "",
    posts: toInt(fields.get("posts")) ?? 0,
    activity: toInt(fields.get("activity")) ?? 0,
    merit: toInt(fields.get("merit")),
    registeredAt: parseForumDate(registered, headerNow),
    lastActiveAt: lastActive && lastActive !== "N/A" ? parseForumDate(lastActive, headerNow) : null,
    signature: readSignature(root),
  };
}

/** Label -> value text of the `<tr><td><b>Label: </b></td><td>value</td></tr>` summary rows. */
function readFields(root: Document): Map<string, string> {
  const fields = new Map<string, string>();
  const summary = findFirst(root, tagClass("td", "windowbg"));
  if (!summary) return fields;
  for (const tr of findAll(summary, tagClass("tr"))) {
    const cells = childElements(tr, tagClass("td"));
    if (cells.length !== 2) continue;
    const label = childElements(cells[0], tagClass("b"))[0];
    if (!label) continue;
    const key = textOf(label).replace(/:\s*$/, "").trim().toLowerCase();
    if (!fields.has(key)) fields.set(key, textOf(cells[1]).replace(/\s+/g, " ").trim());
  }
  return fields;
}

/** The profile shows no id as text; the "show the last posts" link carries it. */
function readUserId(root: Document): number | null {
  const link = findFirst(
    root,
    (el) => el.name === "a" && /sa=(showPosts|statPanel)/.test(el.attribs.href ?? ""),
  );
  return matchInt(link?.attribs.href, /[;?&]u=(\d+)/);
}

function readSignature(root: Document): ParsedSignature | null {
  const el = findFirst(root, tagClass("div", "signature"));
  if (!el) return null;
  const text = bodyText(el);
  const links = extractSignatureLinks(el);
  if (!text && links.length === 0) return null;
  return { text, links };
}

function toInt(value: string | undefined): number | null {
  if (value === undefined) return null;
  const digits = value.replace(/[,\s]/g, "");
  return /^-?\d+$/.test(digits) ? Number(digits) : null;
}
