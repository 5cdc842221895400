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
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'";

/** The one form of the simulated pages: a member's signature (`sa=forumProfile`), posted back to itself. */
const SIGNATURE_FORM = /[?;&]sa=forumProfile(?:[;&]|$)/;

/**
 * Registers GET /demo-forum/index.php, forwarded to the simulator at `simUrl()` (null until it runs),
 * and the POST of its signature form, so a demo visitor can place a campaign signature and join.
 */
export function demoForumRoutes(simUrl: () => string | null) {
  return async (app: App) => {
    // The form's body travels to the simulator as it came (this plugin's context only).
    app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 200_000 },
      (_request, body, done) => done(null, body),
    );
    app.route({
      method: ["GET", "POST"],
      url: `${DEMO_FORUM_PATH}/index.php`,
      schema: { hide: true },
      handler: async (request, reply) => {
        const base = simUrl();
        if (!base)
          throw new AppError(503, "DEMO_FORUM_STARTING", "The demo forum is starting: try again in a moment");
        // The query exactly as sent: Bitcointalk's `;`-separated parameters are not a parsed query.
        const q = request.url.indexOf("?");
        const query = q === -1 ? "" : request.url.slice(q);
        const isPost = request.method === "POST";
        if (isPost && !SIGNATURE_FORM.test(query))
          throw new AppError(
            405,
            "METHOD_NOT_ALLOWED",
            "The demo forum takes posts of its signature form only",
          );
        const r = await fetch(`${base}/index.php${query}`, {
          method: request.method,
          ...(isPost
            ? {
                body: typeof request.body === "string" ? request.body : "",
                headers: { "content-type": "application/x-www-form-urlencoded" },
              }
            : {}),
        });
        reply
          .code(r.status)
          .header("content-type", r.headers.get("content-type") ?? "text/html")
          .header("content-security-policy", PAGE_POLICY)
          .header("cache-control", "no-store");
        return reply.send(Buffer.from(await r.arrayBuffer()));
      },
    });
  };
}
