// HTTP helpers shared by the accounts route files.
import type { FastifyRequest } from "fastify";
import { AppError } from "../../core/errors.ts";
import type { App } from "../../core/http/app.ts";
import { ErrorBody, ErrorResponses } from "../../core/http/schemas.ts";
import { type RequestMeta, rateLimitAddress } from "./security.ts";

/** IP and user agent of a request (the IP honours X-Forwarded-For: the app trusts its proxy). */
export function requestMeta(request: FastifyRequest): RequestMeta {
  const ua = request.headers["user-agent"];
  return {
    ip: request.ip,
    clientKey: rateLimitAddress(request.ip),
    userAgent: typeof ua === "string" ? ua.slice(0, 400) : null,
  };
}

/** Adds `Retry-After` to 429 RATE_LIMITED answers of the routes in this plugin. */
export function addRetryAfterHeader(app: App): void {
  app.addHook("onError", async (_request, reply, err) => {
    if (err instanceof AppError && err.status === 429) {
      const seconds = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (seconds) reply.header("retry-after", String(seconds));
    }
  });
}

/** Error responses of the accounts routes, including 410 for used links and 429 for rate limits. */
export const AccountErrors = { ...ErrorResponses, 410: ErrorBody, 429: ErrorBody } as const;
