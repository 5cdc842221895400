// Where to go after signing in, and how to get to the sign-in page from a guarded one.

/** A same-site path from `?next=`, or "/account" when missing or pointing elsewhere (no open redirects). */
export function safeNext(next: string | null | undefined, fallback = "/account"): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  return next;
}

/**
 * /signin?next=<this page>, which brings the visitor back after signing in; `required` when the page
 * itself needs an account (the sign-in page then says so), not for a voluntary "Sign in" link.
 */
export function signInHref(url: URL, opts: { required?: boolean } = {}): string {
  return `/signin?next=${encodeURIComponent(url.pathname + url.search)}${opts.required ? "&required" : ""}`;
}
