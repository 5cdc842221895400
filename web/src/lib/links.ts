// Links built from stored data. Evidence URLs are refused unless http(s) since this session's API
// rule, but rows written before it may hold any scheme, and a javascript: href runs in the viewer's
// session: only http(s) URLs become links.

/** `url` when it is an absolute http(s) URL, else null (show it as text, never as a link). */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}
