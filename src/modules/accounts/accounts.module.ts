import { Type } from "typebox";
import type { Authenticator } from "../../core/http/actor.ts";
import type { CoreContext, MeritModule } from "../../core/module.ts";
import type { MailService } from "../mail/mail.service.ts";
import type { SettingsService } from "../settings/settings.service.ts";
import { type AccountEraser, createAccountErasers } from "./account-erasers.ts";
import type { AccountsContext } from "./accounts.context.ts";
import { seedDemoAccounts } from "./accounts.seed.ts";
import { countUsers } from "./accounts.service.ts";
import { adminRoutes } from "./admin.routes.ts";
import { authenticateApiKey, looksLikeApiKey } from "./api-keys.service.ts";
import { authRoutes } from "./auth.routes.ts";
import { SETTING_BETA_ALLOWLIST, SETTING_CLOSED_BETA, SETTING_SIGNUP_OPEN } from "./auth.service.ts";
import { credentialsRoutes } from "./credentials.routes.ts";
import { meRoutes } from "./me.routes.ts";
import { createAccessTokenAuthenticator } from "./sessions.service.ts";
import { createThrottle } from "./throttle.service.ts";

export interface AccountsModule {
  module: MeritModule;
  authenticate: Authenticator;
  countUsers(): Promise<number>;
  /** Registers what another module forgets when an account is deleted (see account-erasers.ts). */
  onAccountDeleted(eraser: AccountEraser): void;
}

/** Wires the accounts feature: settings, routes and the bearer-token authenticator. */
export function accountsModule(
  core: CoreContext,
  deps: { settings: SettingsService; mail: MailService },
): AccountsModule {
  const ctx: AccountsContext = {
    db: core.db,
    clock: core.clock,
    config: core.config,
    mail: deps.mail,
    settings: deps.settings,
    throttle: createThrottle({ db: core.db, clock: core.clock }),
    changes: core.changes,
    erasers: createAccountErasers(),
  };
  deps.settings.define({
    key: SETTING_SIGNUP_OPEN,
    description: "Anyone may create an account (when false, registration answers 403 SIGNUP_CLOSED)",
    schema: Type.Boolean(),
    default: true,
  });
  deps.settings.define({
    key: SETTING_CLOSED_BETA,
    description: "Closed beta: only e-mails on accounts.betaAllowlist may register",
    schema: Type.Boolean(),
    default: false,
  });
  deps.settings.define({
    key: SETTING_BETA_ALLOWLIST,
    description: "E-mail addresses allowed to register during the closed beta (case-insensitive)",
    schema: Type.Array(Type.String({ maxLength: 254 }), { maxItems: 10_000 }),
    default: [],
    audit: "count",
  });
  const authenticateAccessToken = createAccessTokenAuthenticator(ctx);
  return {
    module: {
      name: "accounts",
      routes: async (app) => {
        await app.register(authRoutes(ctx));
        await app.register(meRoutes(ctx));
        await app.register(adminRoutes(ctx));
        await app.register(credentialsRoutes(ctx));
      },
      seedDemo: () => seedDemoAccounts(core),
    },
    authenticate: (token) =>
      looksLikeApiKey(token) ? authenticateApiKey(ctx, token) : authenticateAccessToken(token),
    countUsers: () => countUsers(ctx),
    onAccountDeleted: (eraser) => ctx.erasers.add(eraser),
  };
}
