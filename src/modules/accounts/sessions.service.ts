// Sessions: short-lived JWT access tokens over opaque, rotating refresh tokens. A session is one
// refresh-token family; presenting a rotated-out token again revokes the whole family (theft detection).
import { jwtVerify, SignJWT } from "jose";
import { createBatcher } from "../../core/batcher.ts";
import type { Tx } from "../../core/db/client.ts";
import { conflict, forbidden, notFound, unauthorized } from "../../core/errors.ts";
import { type Actor, type Role, requireActor } from "../../core/http/actor.ts";
import type { AccountsContext } from "./accounts.context.ts";
import * as users from "./accounts.repo.ts";
import { recordAudit } from "./audit.service.ts";
import { hashesEqual, plusSeconds, type RequestMeta, randomSecret, sha256 } from "./security.ts";
import * as repo from "./sessions.repo.ts";
import { type MeView, meView } from "./user-view.ts";

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 60 * 60;
/**
 * A refresh token presented again within this many seconds of its use is taken for two tabs of one
 * browser refreshing at once, not for theft: 409 REFRESH_TOKEN_RACED, no new pair, session kept.
 * Later reuse revokes the session. A client that cannot find the pair the other refresh stored signs
 * out with the stale token (/api/auth/logout ends its session), so a thief who refreshed first is
 * still cut off.
 */
export const REFRESH_RACE_SECONDS = 10;
const ISSUER = "merit";
const ACCESS_AUDIENCE = "merit-api";

/** An actor signed in with an access token knows its session (for "current" and "other sessions"). */
export interface SessionActor extends Actor {
  sessionId?: string;
}

/** The signed-in actor when it came with a password session; 403 SESSION_REQUIRED for API keys. */
export function requireSessionActor(actor: Actor | null): Actor {
  const a = requireActor(actor);
  if (a.via !== "session")
    throw forbidden("SESSION_REQUIRED", "Sign in with your password for this, not an API key");
  return a;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: MeView;
}

export const secretKeyBytes = (ctx: AccountsContext) => new TextEncoder().encode(ctx.config.secretKey);

async function accessToken(ctx: AccountsContext, userId: string, sessionId: string): Promise<string> {
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(ACCESS_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ACCESS_TOKEN_SECONDS)
    .sign(secretKeyBytes(ctx));
}

/** Opens a new session for a user inside `tx` and returns its first token pair. */
export async function openSession(
  ctx: AccountsContext,
  tx: Tx,
  user: users.UserRow,
  meta: RequestMeta,
): Promise<TokenPair> {
  const now = ctx.clock.now();
  const sessionId = await repo.insertSession(tx, {
    userId: user.id,
    at: now,
    expiresAt: plusSeconds(now, REFRESH_TOKEN_SECONDS),
    userAgent: meta.userAgent,
    ip: meta.ip,
  });
  const refreshToken = randomSecret(32);
  await repo.insertRefreshToken(tx, {
    sessionId,
    tokenHash: sha256(refreshToken),
    at: now,
    expiresAt: plusSeconds(now, REFRESH_TOKEN_SECONDS),
  });
  return {
    accessToken: await accessToken(ctx, user.id, sessionId),
    refreshToken,
    expiresIn: ACCESS_TOKEN_SECONDS,
    user: meView(user),
  };
}

const invalidRefresh = () => unauthorized("INVALID_REFRESH_TOKEN", "The refresh token is invalid or expired");

/**
 * Rotates a refresh token; a reused one revokes its session family and fails with 401, unless it was
 * used less than REFRESH_RACE_SECONDS ago (409, session kept).
 */
export async function refreshSession(
  ctx: AccountsContext,
  refreshToken: string,
  meta: RequestMeta,
): Promise<TokenPair> {
  const hash = sha256(refreshToken);
  const found = await repo.findRefreshToken(ctx.db.orm, hash);
  if (!found || !hashesEqual(found.token_hash, hash)) throw invalidRefresh();
  const now = ctx.clock.now();
  const reuse = await ctx.db.transaction(async (tx) => {
    if (found.used_at === null && (await repo.useRefreshToken(tx, found.token_id, now))) return false;
    const usedAt = found.used_at ? new Date(found.used_at) : now;
    if (!found.session_revoked_at && now.getTime() - usedAt.getTime() < REFRESH_RACE_SECONDS * 1000) {
      return "raced" as const;
    }
    if (!found.session_revoked_at) {
      await repo.revokeSession(tx, found.session_id, now, "refresh-token-reuse");
      await recordAudit(tx, ctx.clock, {
        type: "session.reuse-detected",
        userId: found.user_id,
        ip: meta.ip,
        details: { sessionId: found.session_id },
      });
    }
    return true;
  });
  if (reuse === "raced") {
    throw conflict(
      "REFRESH_TOKEN_RACED",
      "This refresh token was used moments ago (by another tab?); use the pair that refresh returned",
    );
  }
  if (reuse) {
    throw unauthorized(
      "REFRESH_TOKEN_REUSED",
      "This refresh token was already used; the session has been revoked",
    );
  }
  if (
    found.session_revoked_at ||
    new Date(found.token_expires_at) <= now ||
    new Date(found.session_expires_at) <= now
  ) {
    throw invalidRefresh();
  }
  return ctx.db.transaction(async (tx) => {
    const user = await users.findUserById(tx, found.user_id);
    if (!user || user.deleted_at || user.banned_at) throw invalidRefresh();
    const next = randomSecret(32);
    await repo.insertRefreshToken(tx, {
      sessionId: found.session_id,
      tokenHash: sha256(next),
      at: now,
      expiresAt: plusSeconds(now, REFRESH_TOKEN_SECONDS),
    });
    await repo.touchSession(tx, found.session_id, {
      at: now,
      expiresAt: plusSeconds(now, REFRESH_TOKEN_SECONDS),
      userAgent: meta.userAgent,
      ip: meta.ip,
    });
    return {
      accessToken: await accessToken(ctx, user.id, found.session_id),
      refreshToken: next,
      expiresIn: ACCESS_TOKEN_SECONDS,
      user: meView(user),
    };
  });
}

/** Ends the session a refresh token belongs to (unknown tokens are ignored: logging out is idempotent). */
export async function logout(ctx: AccountsContext, refreshToken: string): Promise<void> {
  const found = await repo.findRefreshToken(ctx.db.orm, sha256(refreshToken));
  if (found) await repo.revokeSession(ctx.db.orm, found.session_id, ctx.clock.now(), "logout");
}

/** Ends every session of the signed-in user (from a password session, not an API key). */
export async function logoutAll(ctx: AccountsContext, actor: Actor | null, meta: RequestMeta): Promise<void> {
  const a = requireSessionActor(actor);
  await ctx.db.transaction(async (tx) => {
    await repo.revokeUserSessions(tx, a.userId, ctx.clock.now(), "logout-all");
    await recordAudit(tx, ctx.clock, {
      type: "sign-out.all",
      userId: a.userId,
      actorId: a.userId,
      ip: meta.ip,
    });
  });
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/** The signed-in user's live sessions (to a password session only); `current` marks this token's. */
export async function listSessions(ctx: AccountsContext, actor: SessionActor | null): Promise<SessionView[]> {
  const a = requireSessionActor(actor) as SessionActor;
  const list = await repo.listLiveSessions(ctx.db.orm, a.userId, ctx.clock.now());
  return list.map((s) => ({
    id: s.id,
    createdAt: new Date(s.created_at).toISOString(),
    lastUsedAt: new Date(s.last_used_at).toISOString(),
    userAgent: s.user_agent,
    ip: s.ip,
    current: s.id === a.sessionId,
  }));
}

/** Signs out one of the user's own sessions (from a password session, not an API key). */
export async function revokeOwnSession(
  ctx: AccountsContext,
  actor: Actor | null,
  sessionId: string,
): Promise<void> {
  const a = requireSessionActor(actor);
  const live = await repo.listLiveSessions(ctx.db.orm, a.userId, ctx.clock.now());
  if (!live.some((s) => s.id === sessionId)) throw notFound("SESSION_NOT_FOUND", "No such session of yours");
  await repo.revokeSession(ctx.db.orm, sessionId, ctx.clock.now(), "revoked-by-user");
}

/**
 * Resolves access tokens to their actors: valid signature, live session, user neither banned nor
 * deleted. Concurrent requests share one session lookup (core/batcher.ts), so a busy API makes one
 * query for many requests instead of one each.
 */
export function createAccessTokenAuthenticator(ctx: AccountsContext) {
  const sessions = createBatcher(
    async (ids: string[]) => {
      const found = await ctx.db.named<repo.SessionActorRow>(
        "merit_session_actors",
        repo.findSessionActorsSql([...new Set(ids)]),
      );
      const byId = new Map(found.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { maxBatch: 100, concurrency: 2 },
  );
  const verified = createVerifiedTokens();
  return async (token: string): Promise<SessionActor | null> => {
    const now = ctx.clock.now();
    let claims = verified.get(token, now);
    if (!claims) {
      try {
        const { payload } = await jwtVerify(token, secretKeyBytes(ctx), {
          issuer: ISSUER,
          audience: ACCESS_AUDIENCE,
          algorithms: ["HS256"],
          currentDate: now,
        });
        if (typeof payload.sub !== "string" || typeof payload.sid !== "string" || !payload.exp) return null;
        claims = { sub: payload.sub, sid: payload.sid, exp: payload.exp };
      } catch {
        return null;
      }
      verified.add(token, claims);
    }
    const { sub, sid } = claims;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sid)) return null;
    const s = await sessions.submit(sid.toLowerCase());
    if (!s || s.user_id !== sub || s.revoked_at || s.banned_at || s.deleted_at) return null;
    return { userId: s.user_id, roles: s.roles as Role[], via: "session", sessionId: sid };
  };
}

/** Claims of an access token whose signature has been checked. */
interface VerifiedClaims {
  sub: string;
  sid: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/**
 * Access tokens already verified, by their full text: a client sends the same token on every request
 * for 15 minutes, and checking its HMAC each time was a large part of an authenticated request's CPU.
 * Only the signature check is remembered: expiry is checked on every use (as jose does: expired once
 * the current second reaches exp), and the session is still looked up every time, so sign-out,
 * revocation and bans take effect at once. Bounded; the oldest entries go first.
 */
function createVerifiedTokens(max = 10_000) {
  const known = new Map<string, VerifiedClaims>();
  return {
    get(token: string, now: Date): VerifiedClaims | null {
      const c = known.get(token);
      if (!c) return null;
      if (Math.floor(now.getTime() / 1000) >= c.exp) {
        known.delete(token);
        return null;
      }
      return c;
    },
    add(token: string, claims: VerifiedClaims): void {
      if (known.size >= max) known.delete(known.keys().next().value as string);
      known.set(token, claims);
    },
  };
}
