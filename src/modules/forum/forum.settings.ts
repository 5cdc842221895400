// Runtime settings of the forum scraper (admins change them in /api/settings).
import { Type } from "typebox";
import type { SettingsService } from "../settings/settings.service.ts";
import type { ScraperSettings } from "./scraper/forum-client.ts";

const KEYS = {
  requestsPerSecond: "forum.requestsPerSecond",
  maxRetries: "forum.maxRetries",
  retryBaseMs: "forum.retryBaseMs",
  timeoutMs: "forum.requestTimeoutMs",
  breakerThreshold: "forum.breakerThreshold",
  breakerCooldownSeconds: "forum.breakerCooldownSeconds",
} as const;

/** Declares the forum settings. */
export function defineForumSettings(settings: SettingsService): void {
  settings.define({
    key: KEYS.requestsPerSecond,
    description:
      "Requests per second to one forum host, shared by every worker process (Bitcointalk asks for 1)",
    schema: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
    default: 1,
  });
  settings.define({
    key: KEYS.maxRetries,
    description: "Retries of a failed forum request (5xx, timeout, Cloudflare, too fast)",
    schema: Type.Integer({ minimum: 0, maximum: 10 }),
    default: 2,
  });
  settings.define({
    key: KEYS.retryBaseMs,
    description: "First retry delay in milliseconds; doubled each retry, with jitter",
    schema: Type.Integer({ minimum: 0, maximum: 600_000 }),
    default: 2000,
  });
  settings.define({
    key: KEYS.timeoutMs,
    description: "Timeout of one forum request in milliseconds",
    schema: Type.Integer({ minimum: 100, maximum: 120_000 }),
    default: 15_000,
  });
  settings.define({
    key: KEYS.breakerThreshold,
    description: "Consecutive failed requests that open a host's circuit breaker",
    schema: Type.Integer({ minimum: 1, maximum: 1000 }),
    default: 5,
  });
  settings.define({
    key: KEYS.breakerCooldownSeconds,
    description: "Seconds an open circuit breaker waits before one probe request",
    schema: Type.Integer({ minimum: 1, maximum: 86_400 }),
    default: 300,
  });
}

/** Reads the scraper settings (cached by the settings service). */
export async function readScraperSettings(settings: SettingsService): Promise<ScraperSettings> {
  const [requestsPerSecond, maxRetries, retryBaseMs, timeoutMs, breakerThreshold, breakerCooldownSeconds] =
    await Promise.all([
      settings.get<number>(KEYS.requestsPerSecond),
      settings.get<number>(KEYS.maxRetries),
      settings.get<number>(KEYS.retryBaseMs),
      settings.get<number>(KEYS.timeoutMs),
      settings.get<number>(KEYS.breakerThreshold),
      settings.get<number>(KEYS.breakerCooldownSeconds),
    ]);
  return { requestsPerSecond, maxRetries, retryBaseMs, timeoutMs, breakerThreshold, breakerCooldownSeconds };
}

export const FORUM_SETTING_KEYS = KEYS;
