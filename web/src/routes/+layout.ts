// Static SPA: everything renders in the browser; the server answers unknown paths with 200.html.
export const ssr = false;
export const prerender = false;
export const trailingSlash = "never";
