// The slug a form proposes from a name until the user edits it: lowercase ASCII letters and digits
// in hyphen-separated words, at most 63 characters (the server's slug rule), accents dropped
// ("Über Builders" -> "uber-builders"). Empty when the name has no letter or digit to keep.
export const SLUG_MAX = 63;

export function slugFrom(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/, "");
}
