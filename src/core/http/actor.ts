// Who is making a request. Routes hand the actor to services, which decide what it may do.
import type { FastifyRequest } from "fastify";
import { forbidden, unauthorized } from "../errors.ts";

export type Role = "admin" | "steward" | "member";

export interface Actor {
  userId: string;
  roles: Role[];
  /** Set when authenticated with an API key: the scopes that key carries. */
  scopes?: string[];
  via: "session" | "api-key";
}

/** Resolves a bearer token to an actor, or null when the token is not valid. Supplied by the accounts module. */
export type Authenticator = (token: string) => Promise<Actor | null>;

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** The signed-in actor, or 401. */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthorized("UNAUTHENTICATED", "Sign in first: this needs a valid bearer token");
  return actor;
}

/** Whether the actor is signed in with one of the roles. */
export function hasRole(actor: Actor | null, ...roles: Role[]): boolean {
  return actor?.roles.some((r) => roles.includes(r)) ?? false;
}

/** The signed-in actor if it has one of the roles, else 401/403. */
export function requireRole(actor: Actor | null, ...roles: Role[]): Actor {
  const a = requireActor(actor);
  if (!hasRole(a, ...roles)) {
    throw forbidden("FORBIDDEN", `This needs the ${roles.join(" or ")} role`);
  }
  return a;
}

/** Reads `Authorization: Bearer <token>`. */
export function bearerToken(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : null;
}
