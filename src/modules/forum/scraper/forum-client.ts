// Polite HTTP client for forum pages: one request slot per host shared by every process through the
// database, retries with exponential backoff and jitter, and a per-host circuit breaker. Error pages
// (Cloudflare, "too fast", 5xx) come back as failed outcomes, never as parsed pages.
import type { Clock } from "../../../core/clock.ts";
import type { Database } from "../../../core/db/client.ts";
import type { Logger } from "../../../core/logger.ts";
import { decodePage } from "../bitcointalk/bitcointalk-page.ts";
import { classifyPage } from "../bitcointalk/profile.parser.ts";
import * as hosts from "./hosts.repo.ts";

export type FetchOutcome =
  | "ok"
  | "not-found"
  | "rate-limited"
  | "cloudflare"
  | "error"
  | "timeout"
  | "circuit-open";

export interface FetchResult {
  outcome: FetchOutcome;
  status: number | null;
  html: string | null;
  attempts: number;
  durationMs: number;
  error?: string;
}

export interface ScraperSettings {
  requestsPerSecond: number;
  maxRetries: number;
  retryBaseMs: number;
  timeoutMs: number;
  breakerThreshold: number;
  breakerCooldownSeconds: number;
}

export interface ForumClientDeps {
  db: Database;
  /** Business clock: breaker cooldowns. */
  clock: Clock;
  logger: Logger;
  settings: () => Promise<ScraperSettings>;
  /** Wall clock for durations and sleep for pacing (real time even when the business clock is manual). */
  realNow?: () => number;
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
}

const RETRYABLE: ReadonlySet<FetchOutcome> = new Set(["rate-limited", "cloudflare", "error", "timeout"]);

/** `Retry-After` in milliseconds from now: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** True when the outcome says the forum answered normally (the host is healthy). */
export function isHealthy(outcome: FetchOutcome): boolean {
  return outcome === "ok" || outcome === "not-found";
}

/** Builds the shared-rate-limited forum page fetcher. */
export function createForumClient(deps: ForumClientDeps) {
  const realNow = deps.realNow ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function allowedByBreaker(host: string, s: ScraperSettings): Promise<boolean> {
    const row = await hosts.readBreaker(deps.db.orm, host);
    if (!row || row.open_until === null) return true;
    const openUntil = new Date(row.open_until);
    const now = deps.clock.now();
    if (openUntil > now) return false;
    return hosts.claimProbe(deps.db.orm, host, now, s.breakerCooldownSeconds * 1000);
  }

  /** Sleeps, but wakes (and throws the abort reason) as soon as `signal` is aborted. */
  async function pause(ms: number, signal?: AbortSignal) {
    signal?.throwIfAborted();
    if (!signal) return sleep(ms);
    let onAbort: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      await Promise.race([sleep(ms), aborted]);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  async function attempt(
    url: URL,
    s: ScraperSettings,
    signal?: AbortSignal,
  ): Promise<Omit<FetchResult, "attempts" | "durationMs"> & { retryAfterMs?: number | null }> {
    signal?.throwIfAborted();
    const gapMs = 1000 / s.requestsPerSecond;
    const { waitMs } = await hosts.reserveSlot(deps.db.orm, url.host, gapMs);
    if (waitMs > 0) await pause(waitMs, signal);
    // One timer per attempt, cleared as soon as the body is read: a timer left running would abort
    // a finished request later, and an abort racing the end of a body can surface as an unhandled
    // rejection inside the HTTP client.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, s.timeoutMs);
    const stop = () => controller.abort();
    signal?.throwIfAborted();
    signal?.addEventListener("abort", stop, { once: true });
    try {
      const res = await fetch(url, {
        signal: controller.signal,
        headers: { "user-agent": deps.userAgent ?? "Merit forum campaign checker" },
        redirect: "follow",
      });
      const bytes = new Uint8Array(await res.arrayBuffer());
      clearTimeout(timer);
      const html = decodePage(bytes);
      const kind = classifyPage(html, res.status);
      const outcome: FetchOutcome = kind;
      return {
        outcome,
        status: res.status,
        html: kind === "ok" ? html : null,
        retryAfterMs: kind === "ok" ? null : retryAfterMs(res.headers.get("retry-after"), realNow()),
      };
    } catch (err) {
      // Shutting down is not the forum's fault: no failure is recorded against the host.
      signal?.throwIfAborted();
      const e = err as Error;
      const aborted = timedOut || e.name === "TimeoutError" || e.name === "AbortError";
      return {
        outcome: aborted ? "timeout" : "error",
        status: null,
        html: null,
        error: aborted ? `no complete answer within ${s.timeoutMs} ms` : e.message,
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
    }
  }

  return {
    /**
     * Fetches one page politely; retries transient failures, never throws for forum trouble.
     * Throws the abort reason when `signal` (the job's shutdown signal) is aborted.
     */
    async fetchPage(href: string, signal?: AbortSignal): Promise<FetchResult> {
      const url = new URL(href);
      const s = await deps.settings();
      const started = realNow();
      let last: Awaited<ReturnType<typeof attempt>> = { outcome: "error", status: null, html: null };
      let attempts = 0;
      for (let i = 0; i <= s.maxRetries; i++) {
        if (!(await allowedByBreaker(url.host, s))) {
          last = { outcome: "circuit-open", status: null, html: null, error: "circuit breaker open" };
          break;
        }
        attempts++;
        last = await attempt(url, s, signal);
        if (isHealthy(last.outcome)) {
          await hosts.recordSuccess(deps.db.orm, url.host);
          break;
        }
        const failures = await hosts.recordFailure(
          deps.db.orm,
          url.host,
          deps.clock.now(),
          s.breakerThreshold,
          s.breakerCooldownSeconds * 1000,
        );
        deps.logger.warn(
          { url: href, outcome: last.outcome, status: last.status, failures },
          "forum request failed",
        );
        if (last.outcome === "rate-limited") {
          // Everyone backs off, not just this worker.
          await hosts.delaySlots(deps.db.orm, url.host, 5000 / s.requestsPerSecond);
        }
        if (last.retryAfterMs) {
          // Nobody asks again before the forum's Retry-After (up to the breaker cooldown, the longest
          // pause the admin set for an unwell forum).
          const ms = Math.min(last.retryAfterMs, s.breakerCooldownSeconds * 1000);
          await hosts.holdOff(deps.db.orm, url.host, ms);
        }
        if (!RETRYABLE.has(last.outcome) || i === s.maxRetries) break;
        const backoff = s.retryBaseMs * 2 ** i;
        await pause(backoff / 2 + Math.random() * backoff, signal);
      }
      const { retryAfterMs: _, ...result } = last;
      return { ...result, attempts, durationMs: Math.round(realNow() - started) };
    },
  };
}

export type ForumClient = ReturnType<typeof createForumClient>;
