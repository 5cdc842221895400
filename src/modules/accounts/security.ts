// Small security primitives shared by the accounts services: random secrets, hashes, constant-time checks.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Where a request came from, for the audit log, sessions and per-IP limits. */
export interface RequestMeta {
  ip: string;
  userAgent: string | null;
}

/** A random url-safe secret with `bytes` bytes of entropy. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Hex SHA-256: how opaque tokens, API keys and recovery codes are stored. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Constant-time equality of two hex hashes (a found row's hash against the presented secret's). */
export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** Adds seconds to a date. */
export const plusSeconds = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);
