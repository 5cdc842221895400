// What the accounts services share. Built once in accounts.module.ts and passed explicitly.
import type { Config } from "../../config.ts";
import type { ChangeFeed } from "../../core/changes.ts";
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import type { MailService } from "../mail/mail.service.ts";
import type { SettingsService } from "../settings/settings.service.ts";
import type { AccountErasers } from "./account-erasers.ts";
import type { Throttle } from "./throttle.service.ts";

export interface AccountsContext {
  db: Database;
  clock: Clock;
  config: Pick<Config, "secretKey" | "publicUrl">;
  mail: MailService;
  settings: SettingsService;
  throttle: Throttle;
  /** Emit "users" after committing a change to a user's name or visibility (boards cache them). */
  changes: ChangeFeed;
  /** What other modules forget when an account is deleted (run inside the deletion's transaction). */
  erasers: AccountErasers;
}
