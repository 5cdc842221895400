// Small security primitives shared by the accounts services: random secrets, hashes, constant-time checks.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { isIPv6 } from "node:net";

/** Where a request came from, for the audit log, sessions and per-IP limits. */
export interface RequestMeta {
  ip: string;
  /** What per-IP limits count against: see `rateLimitAddress`. */
  clientKey: string;
  userAgent: string | null;
}

/**
 * The address per-IP rate limits and lockouts count against: an IPv4 address as is (also when written
 * IPv4-mapped, ::ffff:a.b.c.d), an IPv6 address by its /64 network. One IPv6 host usually holds a
 * whole /64, so counting single addresses would let it pick a fresh one for every attempt.
 */
export function rateLimitAddress(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  const address = ip.split("%")[0];
  if (!isIPv6(address)) return ip;
  const groups = (part: string) =>
    (part ? part.split(":") : []).flatMap((g) => (g.includes(".") ? ["0", "0"] : [g]));
  const [head, tail] = address.toLowerCase().split("::");
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const full = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return `${full
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(":")}::/64`;
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
