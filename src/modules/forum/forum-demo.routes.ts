// Demo mode: the in-process forum simulator's pages (topics, profiles, post histories) served under
// this server, so the post and profile links of the demo open the simulated posts with their
// signatures instead of unrelated pages of the real forum. Only its pages: never its control API.
import { AppError } from "../../core/errors.ts";
import type { App } from "../../core/http/app.ts";

export const DEMO_FORUM_PATH = "/demo-forum";

/**
 * The simulated pages reference the real forum's images and styles: a policy of their own keeps
 * the browser from fetching anything but the page (no requests to the real forum from a demo).
 */
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Registers GET /demo-forum/index.php, forwarded to the simulator at `simUrl()` (null until it runs). */
export function demoForumRoutes(simUrl: () => string | null) {
  return async (app: App) => {
    app.get(`${DEMO_FORUM_PATH}/index.php`, { schema: { hide: true } }, async (request, reply) => {
      const base = simUrl();
      if (!base)
        throw new AppError(503, "DEMO_FORUM_STARTING", "The demo forum is starting: try again in a moment");
      // The query exactly as sent: Bitcointalk's `;`-separated parameters are not a parsed query.
      const q = request.url.indexOf("?");
      const r = await fetch(`${base}/index.php${q === -1 ? "" : request.url.slice(q)}`);
      reply
        .code(r.status)
        .header("content-type", r.headers.get("content-type") ?? "text/html")
        .header("content-security-policy", PAGE_POLICY)
        .header("cache-control", "no-store");
      return reply.send(Buffer.from(await r.arrayBuffer()));
    });
  };
}
