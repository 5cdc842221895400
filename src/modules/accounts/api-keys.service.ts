// API keys for integrations and bots: `mk_<prefix>_<secret>`, shown once, stored as SHA-256.
// The public prefix finds the row; the hash is then compared in constant time.
import { randomBytes } from "node:crypto";
import { notFound, unprocessable } from "../../core/errors.ts";
import type { Actor, Role } from "../../core/http/actor.ts";
import type { AccountsContext } from "./accounts.context.ts";
import { recordAudit } from "./audit.service.ts";
import * as repo from "./credentials.repo.ts";
import { hashesEqual, type RequestMeta, randomSecret, sha256 } from "./security.ts";
import { requireSessionActor } from "./sessions.service.ts";

const KEY_FORMAT = /^mk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const MAX_KEYS_PER_USER = 25;
/** last_used_at is written at most this often per key, so authenticating stays a read. */
const TOUCH_EVERY_MS = 60_000;

export interface ApiKeyView {
  id: string;
  name: string;
  scopes: string[];
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const view = (k: repo.ApiKeyRow): ApiKeyView => ({
  id: k.id,
  name: k.name,
  scopes: k.scopes,
  prefix: k.prefix,
  createdAt: new Date(k.created_at).toISOString(),
  lastUsedAt: k.last_used_at ? new Date(k.last_used_at).toISOString() : null,
});

/** The signed-in user's live keys (never the secrets). */
export async function listApiKeys(ctx: AccountsContext, actor: Actor | null): Promise<ApiKeyView[]> {
  const a = requireSessionActor(actor);
  return (await repo.liveApiKeys(ctx.db.orm, a.userId)).map(view);
}

/** Creates a key; the full key is returned only here. */
export async function createApiKey(
  ctx: AccountsContext,
  actor: Actor | null,
  input: { name: string; scopes: string[] },
  meta: RequestMeta,
) {
  const a = requireSessionActor(actor);
  const name = input.name.trim();
  if (!name) throw unprocessable("INVALID_NAME", "name must not be blank", { field: "name" });
  if ((await repo.liveApiKeys(ctx.db.orm, a.userId)).length >= MAX_KEYS_PER_USER) {
    throw unprocessable(
      "TOO_MANY_API_KEYS",
      `At most ${MAX_KEYS_PER_USER} keys per account; revoke one first`,
    );
  }
  const prefix = randomBytes(6).toString("hex");
  const key = `mk_${prefix}_${randomSecret(32)}`;
  const scopes = [...new Set(input.scopes)];
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertApiKey(tx, {
      userId: a.userId,
      name,
      scopes,
      prefix,
      keyHash: sha256(key),
      at: ctx.clock.now(),
    });
    await recordAudit(tx, ctx.clock, {
      type: "api-key.created",
      userId: a.userId,
      actorId: a.userId,
      ip: meta.ip,
      details: { keyId: row.id, name, scopes },
    });
    return {
      id: row.id,
      name: row.name,
      scopes: row.scopes,
      key,
      createdAt: new Date(row.created_at).toISOString(),
    };
  });
}

/** Revokes one of the user's keys; it stops working immediately. */
export async function revokeApiKey(ctx: AccountsContext, actor: Actor | null, id: string, meta: RequestMeta) {
  const a = requireSessionActor(actor);
  await ctx.db.transaction(async (tx) => {
    const row = await repo.revokeApiKey(tx, a.userId, id, ctx.clock.now());
    if (!row) throw notFound("API_KEY_NOT_FOUND", "No such key of yours");
    await recordAudit(tx, ctx.clock, {
      type: "api-key.revoked",
      userId: a.userId,
      actorId: a.userId,
      ip: meta.ip,
      details: { keyId: id, name: row.name },
    });
  });
}

/** True when a bearer token has the API-key shape (so it is not tried as a JWT). */
export const looksLikeApiKey = (token: string) => token.startsWith("mk_");

/** Resolves an API key to its actor; null for unknown, revoked, or keys of banned/deleted users. */
export async function authenticateApiKey(ctx: AccountsContext, token: string): Promise<Actor | null> {
  const m = KEY_FORMAT.exec(token);
  if (!m) return null;
  const k = await repo.findApiKeyActor(ctx.db.orm, m[1]);
  if (!k || !hashesEqual(k.key_hash, sha256(token)) || k.banned_at || k.deleted_at) return null;
  const now = ctx.clock.now();
  if (!k.last_used_at || now.getTime() - new Date(k.last_used_at).getTime() > TOUCH_EVERY_MS) {
    await repo.touchApiKey(ctx.db.orm, k.id, now);
  }
  return { userId: k.user_id, roles: k.roles as Role[], via: "api-key", scopes: k.scopes };
}
