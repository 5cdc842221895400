// Composition root of the feature modules: builds each service with explicit dependencies, in order.
import type { Authenticator } from "../core/http/actor.ts";
import type { CoreContext, MeritModule } from "../core/module.ts";
import { accountsModule } from "./accounts/accounts.module.ts";
import { settingsRoutes } from "./settings/settings.routes.ts";
import { createSettingsService, type SettingsService } from "./settings/settings.service.ts";

export interface Composition {
  modules: MeritModule[];
  settings: SettingsService;
  authenticate?: Authenticator;
  countUsers(): Promise<number>;
}

/** Builds every feature module for this process. */
export function composeModules(core: CoreContext): Composition {
  const settings = createSettingsService({ db: core.db, clock: core.clock });
  const accounts = accountsModule(core, { settings });
  const modules: MeritModule[] = [{ name: "settings", routes: settingsRoutes(settings) }, accounts.module];
  return {
    modules,
    settings,
    authenticate: accounts.authenticate,
    countUsers: accounts.countUsers,
  };
}
