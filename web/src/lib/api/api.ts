// Typed fetch wrapper over the server's OpenAPI paths (schema.d.ts is generated from openapi.json by
// `npm run gen:types`, which build:web and typecheck run; not committed).
// Paths, path/query params, request bodies and responses are all checked against the schema.
import { session } from "$lib/session.svelte";
import type { paths } from "./schema";

type Method = "get" | "post" | "patch" | "delete";
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** Paths that declare method M. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];

type JsonContent<R> = R extends { content: { "application/json": infer J } } ? J : undefined;
type Responses<O> = O extends { responses: infer R } ? R : never;
/** The JSON body of the operation's 200/201 response (undefined for 204). */
export type ResponseOf<O> =
  Responses<O> extends { 200: infer R }
    ? JsonContent<R>
    : Responses<O> extends { 201: infer R }
      ? JsonContent<R>
      : undefined;

type ParamsOf<O, K extends "path" | "query"> = O extends { parameters: infer Ps }
  ? K extends keyof Ps
    ? Ps[K]
    : never
  : never;
type BodyOf<O> = O extends { requestBody?: infer B }
  ? JsonContent<NonNullable<B>> | Extract<B, undefined>
  : never;

// A field is required when the schema requires it, optional when optional, absent when undeclared.
type Field<K extends string, T> = [NonNullable<T>] extends [never]
  ? { [k in K]?: never }
  : undefined extends T
    ? { [k in K]?: T }
    : { [k in K]: T };

export type RequestOptions<O> = Field<"path", ParamsOf<O, "path">> &
  Field<"query", ParamsOf<O, "query">> &
  Field<"body", BodyOf<O>> & { signal?: AbortSignal; headers?: Record<string, string> };

type Args<O> =
  object extends RequestOptions<O> ? [options?: RequestOptions<O>] : [options: RequestOptions<O>];

/** An error answered by the API (`{"error":{"code","message","details"}}`) or a network failure (status 0). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Primitive = string | number | boolean;
type QueryValue = Primitive | null | undefined | readonly Primitive[];

function buildUrl(path: string, pathParams?: object, query?: object): string {
  const params = (pathParams ?? {}) as Record<string, Primitive>;
  let url = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(String(params[name]));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, QueryValue>)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const qs = search.toString();
  if (qs) url += `?${qs}`;
  return url;
}

async function parseError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const err = body.error;
    if (err && typeof err.code === "string" && typeof err.message === "string") {
      return new ApiError(response.status, err.code, err.message, err.details);
    }
  } catch {
    // not JSON: fall through to a generic error
  }
  return new ApiError(
    response.status,
    `HTTP_${response.status}`,
    response.statusText || `HTTP ${response.status}`,
  );
}

interface RawOptions {
  path?: object;
  query?: object;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

// Only UNAUTHENTICATED means "your access token is missing, expired or revoked"; other 401s
// (INVALID_CREDENTIALS, OTP_INVALID...) are answers about the request itself and must not trigger a refresh.
const EXPIRED_TOKEN_CODE = "UNAUTHENTICATED";
const NO_REFRESH = /^\/api\/auth\/(login|refresh|logout|siwe\/login)$/;

let refreshing: Promise<boolean> | null = null;

/**
 * Swaps the refresh token for a new pair; false (and signed out) when the session is over. Shared by
 * concurrent callers in this tab, and run under a lock shared by all tabs: refresh tokens are single
 * use, and the server ends the whole session when one comes back later than a few seconds after its
 * use, so two tabs must not both refresh with the same token. Inside the lock a tab first takes the
 * pair another tab has just stored, if any; storage reaches other tabs with a delay, so a refresh can
 * still race another tab's, and then (409 REFRESH_TOKEN_RACED) waits for that tab's pair.
 */
function refreshSession(): Promise<boolean> {
  refreshing ??= withRefreshLock(async () => {
    if (session.adoptStoredTokens()) return session.accessToken !== null;
    const refreshToken = session.refreshToken;
    if (!refreshToken) return false;
    try {
      const response = await fetch("/api/auth/refresh", {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify({ refreshToken }),
      });
      if (response.status === 409) {
        // REFRESH_TOKEN_RACED: another tab used this token moments ago and is storing the new pair.
        if (await waitForStoredTokens(refreshToken)) return true;
        // Nobody here has the new pair (someone else refreshed first): end the session with the stale token.
        await fetch("/api/auth/logout", {
          method: "POST",
          headers: { accept: "application/json", "content-type": "application/json" },
          body: JSON.stringify({ refreshToken }),
        }).catch(() => undefined);
        if (session.refreshToken === refreshToken) session.signOut();
        return false;
      }
      if (!response.ok) {
        // Another tab may have rotated the token meanwhile; only sign out if ours is still the stale one.
        if (session.refreshToken === refreshToken) session.signOut();
        return session.accessToken !== null;
      }
      const pair = (await response.json()) as { accessToken: string; refreshToken: string };
      session.setTokens(pair);
      return true;
    } catch {
      return false; // network failure: keep the session, the caller sees its 401
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Waits up to 5 s for another tab's pair (replacing `stale`) to reach this tab's storage, and takes it. */
async function waitForStoredTokens(stale: string): Promise<boolean> {
  for (let waited = 0; waited < 5000; waited += 100) {
    if (session.adoptStoredTokens(stale)) return session.accessToken !== null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Runs `fn` under the cross-tab refresh lock (Web Locks), or directly where the browser has none. */
function withRefreshLock(fn: () => Promise<boolean>): Promise<boolean> {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  // The callback returns a promise, which the lock awaits; then() unwraps it for the type checker.
  return locks ? locks.request("merit.session.refresh", fn).then((result) => result) : fn();
}

async function send(method: Method, path: string, opts: RawOptions, isRetry: boolean): Promise<unknown> {
  const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
  const sentToken = opts.headers?.authorization === undefined ? session.accessToken : null;
  if (sentToken) headers.authorization = `Bearer ${sentToken}`;
  const init: RequestInit = { method: method.toUpperCase(), headers, signal: opts.signal };
  if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(opts.body);
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, opts.path, opts.query), init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "NETWORK_ERROR", "Cannot reach the Merit server.", cause);
  }
  if (!response.ok) {
    const error = await parseError(response);
    if (
      error.status === 401 &&
      error.code === EXPIRED_TOKEN_CODE &&
      sentToken &&
      !isRetry &&
      !NO_REFRESH.test(path)
    ) {
      // The access token expired (or was revoked): refresh once, then retry with the new one.
      const tokenChanged = session.accessToken !== null && session.accessToken !== sentToken;
      if (tokenChanged || (await refreshSession())) return send(method, path, opts, true);
    }
    throw error;
  }
  if (response.status === 204) return undefined;
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

async function request<P extends keyof paths, M extends Method>(
  method: M,
  path: P,
  options: RequestOptions<Operation<P, M>> | undefined,
): Promise<ResponseOf<Operation<P, M>>> {
  return (await send(method, path, (options ?? {}) as RawOptions, false)) as ResponseOf<Operation<P, M>>;
}

export const api = {
  get: <P extends PathsWith<"get">>(path: P, ...[options]: Args<Operation<P, "get">>) =>
    request("get", path, options),
  post: <P extends PathsWith<"post">>(path: P, ...[options]: Args<Operation<P, "post">>) =>
    request("post", path, options),
  patch: <P extends PathsWith<"patch">>(path: P, ...[options]: Args<Operation<P, "patch">>) =>
    request("patch", path, options),
  delete: <P extends PathsWith<"delete">>(path: P, ...[options]: Args<Operation<P, "delete">>) =>
    request("delete", path, options),
};

/** The response type of `GET path`, e.g. `ApiResponse<"/api/info">`. */
export type ApiResponse<P extends keyof paths, M extends Method = "get"> = ResponseOf<Operation<P, M>>;
/** The item type of a list response (`{ items: T[], ... }`). */
export type ListItem<T> = T extends { items: (infer I)[] } ? I : never;
/** The JSON request body of `M path`, e.g. `ApiBody<"/api/campaigns", "post">`. */
export type ApiBody<P extends keyof paths, M extends Method> = NonNullable<BodyOf<Operation<P, M>>>;
/** The query parameters of `M path`, e.g. `ApiQuery<"/api/contributions">`. */
export type ApiQuery<P extends keyof paths, M extends Method = "get"> = NonNullable<
  ParamsOf<Operation<P, M>, "query">
>;
