import type { Authenticator } from "../../core/http/actor.ts";
import type { CoreContext, MeritModule } from "../../core/module.ts";
import type { SettingsService } from "../settings/settings.service.ts";
import { seedDemoAccounts } from "./accounts.seed.ts";
import { countUsers } from "./accounts.service.ts";

export interface AccountsModule {
  module: MeritModule;
  authenticate?: Authenticator;
  countUsers(): Promise<number>;
}

/** Wires the accounts feature. */
export function accountsModule(core: CoreContext, _deps: { settings: SettingsService }): AccountsModule {
  const deps = { db: core.db, clock: core.clock };
  return {
    module: {
      name: "accounts",
      seedDemo: () => seedDemoAccounts(core),
    },
    countUsers: () => countUsers(deps),
  };
}
