// Parser for a member's post history: index.php?action=profile;u=UID;sa=showPosts;start=OFFSET
// No saved copy of this page exists; the markup follows SMF 1.1's showPosts template, which
// Bitcointalk runs (one `tr.titlebg2` header per post, then `div.post`, 20 posts per page).
import type { Element } from "domhandler";
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
import { childElements, closest, findAll, findFirst, tagClass, textOf } from "./dom-walk.ts";

export const POSTS_PER_HISTORY_PAGE = 20;

export interface HistoryPost {
  messageId: number;
  topicId: number;
  boardName?: string;
  postedAt: Date;
  /** Characters of the body outside quotes, whitespace collapsed. */
  contentLength: number;
}

export interface ParsedPostsPage {
  /** Newest first, as the forum lists them. */
  posts: HistoryPost[];
  page: PageInfo;
}

/** Reads one page of a member's post history, skipping hidden decoys. */
export function parsePostsPage(html: string): ParsedPostsPage {
  const { root, headerNow, hidden } = readPage(html);
  const posts: HistoryPost[] = [];
  const isPostBody = (el: Element) =>
    el.name === "div" &&
    el.attribs.class === "post" &&
    el.parent?.type === "tag" &&
    tagClass("td", "windowbg2")(el.parent);

  const isNavCell = (el: Element) =>
    el.name === "td" && el.parent?.type === "tag" && tagClass("tr", "catbg3")(el.parent);
  // One walk finds the bodies and the navigation; bodies never nest, so their insides are skipped.
  const found = findAll(
    root,
    (el) => isPostBody(el) || isNavCell(el),
    (el) => !isPostBody(el),
  );
  for (const body of found.filter(isPostBody)) {
    if (isHiddenByStyle(body, hidden)) continue;
    const post = readPost(body, headerNow);
    if (post && !isDecoyId(post.messageId, headerNow) && !isDecoyId(post.topicId, headerNow))
      posts.push(post);
  }

  const page = readPageNavIn(found.filter(isNavCell)) ?? { current: 1, last: posts.length > 0 ? null : 1 };
  return { posts, page };
}

function readPost(body: Element, headerNow: Date | null): HistoryPost | null {
  const table = closest(body, tagClass("table"));
  const title = table ? findFirst(table, tagClass("tr", "titlebg2")) : null;
  const cells = title ? childElements(title, tagClass("td", "middletext")) : [];
  if (cells.length < 2) return null;

  const links = findAll(cells[0], (el) => el.name === "a" && el.attribs.href !== undefined);
  // The header reads "Category / Board / Subject": the last topic and board links are the ones.
  const topicLink = links.filter((a) => /[?;&]topic=\d+/.test(a.attribs.href)).pop();
  const boardLink = links.filter((a) => /[?;&]board=\d+/.test(a.attribs.href)).pop();
  const href = topicLink?.attribs.href;
  const topicId = matchInt(href, /topic=(\d+)/);
  const messageId = matchInt(href, /msg(\d+)/);
  if (topicId === null || messageId === null) return null;

  const post: HistoryPost = {
    messageId,
    topicId,
    postedAt: parseForumDate(textOf(cells[1]), headerNow),
    contentLength: countChars(bodyText(body)),
  };
  const boardName = boardLink ? textOf(boardLink).trim() : "";
  if (boardName) post.boardName = boardName;
  return post;
}
