// Parser for topic pages (index.php?topic=TID.OFFSET) and for row-only fragments of them.
import type { Document, Element } from "domhandler";
import {
  bodyText,
  countChars,
  isDecoyId,
  isHiddenByStyle,
  matchInt,
  type PageInfo,
  parseForumDate,
  readPage,
  readPageNavIn,
} from "./bitcointalk-page.ts";
import {
  childElements,
  closest,
  findAll,
  findFirst,
  hasClass,
  nextElement,
  tagClass,
  textOf,
} from "./dom-walk.ts";
import { extractSignatureLinks } from "./signature-links.ts";

export const POSTS_PER_TOPIC_PAGE = 20;

export interface TopicPost {
  messageId: number;
  authorId: number;
  authorName: string;
  /** Rank line under the name, e.g. "Hero Member". */
  authorRank: string;
  authorActivity: number | null;
  authorMerit: number | null;
  /** Reply number shown as `#N` (1 = opening post). */
  position: number;
  postedAt: Date;
  edited: boolean;
  editedAt: Date | null;
  /** Characters of the body outside quotes, whitespace collapsed. */
  contentLength: number;
  signature: { links: string[] } | null;
}

export interface ParsedTopicPage {
  topicId: number | null;
  page: PageInfo;
  posts: TopicPost[];
}

/** Reads the real posts of a topic page, skipping hidden anti-adblock decoys. */
export function parseTopicPage(html: string): ParsedTopicPage {
  const { root, headerNow, hidden } = readPage(html);
  const posts: TopicPost[] = [];
  let topicId: number | null = null;

  const isSubject = tagClass("div", "subject");
  const isNavCell = tagClass("td", "middletext");
  // One walk finds the subjects and the navigation; neither sits inside a post body or signature.
  const found = findAll(root, (el) => isSubject(el) || isNavCell(el), isOutsidePostContent);
  for (const subject of found.filter(isSubject)) {
    // Decoys carry no id, or ids equal to the page's Unix time, or sit in a CSS-hidden row.
    const messageId = matchInt(subject.attribs.id, /^subject_(\d+)$/);
    if (messageId === null || isDecoyId(messageId, headerNow) || isHiddenByStyle(subject, hidden)) continue;
    const post = readPost(subject, messageId, headerNow);
    if (!post) continue;
    topicId ??= post.topicId;
    posts.push(post.post);
  }

  topicId ??= readTopicIdFromPage(root);
  const page = readPageNavIn(found.filter(isNavCell)) ?? pageFromPositions(posts);
  return { topicId, page, posts };
}

function isOutsidePostContent(el: Element): boolean {
  return !(el.name === "div" && (hasClass(el, "post") || hasClass(el, "signature")));
}

function readPost(
  subject: Element,
  messageId: number,
  headerNow: Date | null,
): { post: TopicPost; topicId: number | null } | null {
  const header = closest(subject, tagClass("td", "td_headerandpost"));
  const row = header?.parent;
  if (!header || !row || row.type !== "tag") return null;
  const poster = childElements(row, tagClass("td", "poster_info"))[0];
  const nameBox = poster ? childElements(poster, tagClass("b"))[0] : undefined;
  const profileLink = nameBox
    ? childElements(
        nameBox,
        (el) => el.name === "a" && (el.attribs.href ?? "").includes("action=profile;u="),
      )[0]
    : undefined;
  const authorId = matchInt(profileLink?.attribs.href, /u=(\d+)/);
  if (!profileLink || authorId === null) return null;

  const stats = readPosterStats(childElements(poster, tagClass("div", "smalltext"))[0]);
  const dateCell = nextElement(subject, tagClass("div", "smalltext"));
  const edit = dateCell ? findFirst(dateCell, tagClass("span", "edited")) : null;
  const editTitle = /Last edit:\s*(.+?)\s+by\s+/.exec(edit?.attribs.title ?? "");
  const body = childElements(header, tagClass("div", "post"))[0];
  const subjectLink = findFirst(subject, (el) => el.name === "a" && el.attribs.href !== undefined);
  const topicId = matchInt(subjectLink?.attribs.href, /topic=(\d+)/);

  // The footer row after the header row holds `td#modified_N` and the signature.
  const footer = nextElement(row, tagClass("tr"));
  const signatureEl = footer ? findFirst(footer, tagClass("div", "signature")) : null;
  const signatureLinks = signatureEl ? extractSignatureLinks(signatureEl) : [];
  const hasSignature = signatureEl !== null && (signatureLinks.length > 0 || bodyText(signatureEl) !== "");

  const post: TopicPost = {
    messageId,
    authorId,
    authorName: textOf(profileLink).trim(),
    authorRank: stats.rank,
    authorActivity: stats.activity,
    authorMerit: stats.merit,
    position: matchInt(textOf(findFirst(header, tagClass("a", "message_number"))), /#(\d+)/) ?? 0,
    postedAt: parseForumDate(textOf(dateCell), headerNow),
    edited: edit !== null,
    editedAt: editTitle ? parseForumDate(editTitle[1], headerNow) : null,
    contentLength: body ? countChars(bodyText(body)) : 0,
    signature: hasSignature ? { links: signatureLinks } : null,
  };
  return { post, topicId };
}

function readPosterStats(box: Element | undefined): {
  rank: string;
  activity: number | null;
  merit: number | null;
} {
  if (!box) return { rank: "", activity: null, merit: null };
  // The rank is the text before the first <br>; custom titles and stats follow it.
  let rank = "";
  for (const node of box.children) {
    if (node.type === "tag" && node.name === "br") break;
    if (node.type === "text") rank += node.data;
  }
  const text = textOf(box);
  return {
    rank: rank.replace(/\s+/g, " ").trim(),
    activity: matchInt(text, /Activity:\s*(\d+)/),
    merit: matchInt(text, /Merit:\s*(-?\d+)/),
  };
}

function readTopicIdFromPage(root: Document): number | null {
  const form = findFirst(root, (el) => el.name === "form" && el.attribs.id === "quickModForm");
  const nav = findFirst(root, tagClass("a", "navPages"));
  return matchInt(form?.attribs.action, /topic=(\d+)/) ?? matchInt(nav?.attribs.href, /topic=(\d+)/);
}

/** Fragments have no navigation: derive the page from the reply numbers, last page unknown. */
function pageFromPositions(posts: TopicPost[]): PageInfo {
  const first = posts.find((p) => p.position > 0);
  const current = first ? Math.floor((first.position - 1) / POSTS_PER_TOPIC_PAGE) + 1 : 1;
  return { current, last: null };
}
