// Bitcointalk as a forum site: page addresses plus profile and post-history fetching on top of the
// polite client and the committed parsers. A page that fails to parse is a failed fetch, never data.
import { type HistoryPost, POSTS_PER_HISTORY_PAGE, parsePostsPage } from "../bitcointalk/posts.parser.ts";
import { type ParsedProfile, parseProfilePage } from "../bitcointalk/profile.parser.ts";
import type { FetchOutcome, FetchResult, ForumClient } from "./forum-client.ts";

export interface ProfileFetch extends FetchResult {
  profile: ParsedProfile | null;
}

export interface HistoryFetch {
  /** "ok" only when every page needed was read. */
  outcome: FetchOutcome;
  status: number | null;
  pages: number;
  attempts: number;
  durationMs: number;
  /** Every post read, de-duplicated by message id (pages never overwrite each other). */
  posts: HistoryPost[];
  /** The scan reached `since` or the last page, so absence from `posts` means absent from the forum. */
  complete: boolean;
  error?: string;
}

export interface ForumSiteClient {
  /** The forum's public address (no trailing slash): where the links people follow start. */
  readonly linkBase: string;
  profileUrl(forumUserId: number): string;
  /** Where people read a post (evidence of its award): the forum's public address, not the scraper's. */
  postLink(topicId: string | number, messageId: string | number): string;
  /** `signal` aborts the fetch (it then throws), e.g. when the process shuts down. */
  fetchProfile(forumUserId: number, signal?: AbortSignal): Promise<ProfileFetch>;
  fetchHistory(forumUserId: number, since: Date, signal?: AbortSignal): Promise<HistoryFetch>;
}

/** Safety net against a forum that never reports a last page. */
const MAX_HISTORY_PAGES = 100;

/** Reads a Bitcointalk user id from a number or a profile URL (`...action=profile;u=123`). */
export function parseForumUser(input: string): number | null {
  const text = input.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) > 0 ? Number(text) : null;
  const m = /[?;&]u=(\d{1,10})(?:[;&#]|$)/.exec(text);
  return m && Number(m[1]) > 0 ? Number(m[1]) : null;
}

/**
 * Bitcointalk site client; `baseUrl` (what the scraper fetches) is read per call so the demo
 * simulator's port can be late-bound; `linkBase` is the address people follow (links, evidence).
 */
export function createBitcointalkSite(
  client: ForumClient,
  baseUrl: () => string,
  linkBase: string,
): ForumSiteClient {
  const root = () => `${baseUrl().replace(/\/+$/, "")}/index.php`;
  const profileUrl = (id: number) => `${root()}?action=profile;u=${id}`;
  const publicBase = linkBase.replace(/\/+$/, "");
  const linkRoot = `${publicBase}/index.php`;

  return {
    linkBase: publicBase,
    profileUrl,
    postLink: (topicId, messageId) => `${linkRoot}?topic=${topicId}.msg${messageId}#msg${messageId}`,

    async fetchProfile(forumUserId, signal) {
      const r = await client.fetchPage(profileUrl(forumUserId), signal);
      if (r.outcome !== "ok" || r.html === null) return { ...r, profile: null };
      try {
        const profile = parseProfilePage(r.html);
        return { ...r, profile };
      } catch (err) {
        return { ...r, outcome: "error", html: null, profile: null, error: (err as Error).message };
      }
    },

    async fetchHistory(forumUserId, since, signal) {
      const byId = new Map<number, HistoryPost>();
      const total = { pages: 0, attempts: 0, durationMs: 0 };
      let status: number | null = null;
      for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
        const url = `${profileUrl(forumUserId)};sa=showPosts;start=${page * POSTS_PER_HISTORY_PAGE}`;
        const r = await client.fetchPage(url, signal);
        total.attempts += r.attempts;
        total.durationMs += r.durationMs;
        status = r.status;
        if (r.outcome !== "ok" || r.html === null) {
          return {
            ...total,
            outcome: r.outcome,
            status,
            posts: [...byId.values()],
            complete: false,
            error: r.error,
          };
        }
        let parsed: ReturnType<typeof parsePostsPage>;
        try {
          parsed = parsePostsPage(r.html);
        } catch (err) {
          const error = (err as Error).message;
          return { ...total, outcome: "error", status, posts: [...byId.values()], complete: false, error };
        }
        total.pages++;
        for (const p of parsed.posts) if (!byId.has(p.messageId)) byId.set(p.messageId, p);
        const oldest = parsed.posts.at(-1);
        const lastPage = parsed.page.last !== null && parsed.page.current >= parsed.page.last;
        if (parsed.posts.length === 0 || lastPage || (oldest && oldest.postedAt < since)) {
          return { ...total, outcome: "ok", status, posts: [...byId.values()], complete: true };
        }
      }
      return { ...total, outcome: "ok", status, posts: [...byId.values()], complete: false };
    },
  };
}
