// Composition root of the feature modules: builds each service with explicit dependencies, in order.
import type { Authenticator } from "../core/http/actor.ts";
import type { CoreContext, MeritModule } from "../core/module.ts";
import { accountsModule } from "./accounts/accounts.module.ts";
import { recordAudit } from "./accounts/audit.service.ts";
import { type ForumModule, forumModule } from "./forum/forum.module.ts";
import { forgetForumAccount } from "./forum/forum-erasure.ts";
import { createLedgerSink } from "./forum/forum-points.ledger.ts";
import { mailModule } from "./mail/mail.module.ts";
import { type PointsModule, pointsModule } from "./points/points.module.ts";
import { settingsRoutes } from "./settings/settings.routes.ts";
import { createSettingsService, type SettingsService } from "./settings/settings.service.ts";

/**
 * The API explorer's groups, in the order a reader needs them (participants' first, then admins',
 * then compatibility and operations): Swagger UI lists tags in this order.
 */
export const API_TAGS = [
  {
    name: "auth",
    description: "Register, confirm, sign in (password, second factor, wallet), refresh, reset",
  },
  {
    name: "me",
    description: "The signed-in account: profile, e-mail, password, two-factor, sessions, API keys",
  },
  { name: "leaderboard", description: "Boards with ranks, the live stream, snapshots, multipliers" },
  { name: "participants", description: "Public profiles: totals, ranks on each board, rank history" },
  { name: "campaigns", description: "Time windows with a reward pool, split pro rata by points" },
  { name: "points", description: "Categories, contribution types, contributions, awards and the ledger" },
  {
    name: "forum",
    description: "Forum signature campaigns: joining, verification, tracked posts, standings",
  },
  { name: "admin", description: "Admins: users, bans and appeals, settings, audit log, mail outbox" },
  { name: "forum-admin", description: "Admins: forum campaigns, signature designs, ranks, profiles, resets" },
  { name: "venue", description: "Venue-compatible endpoints, so Venue's front end keeps working" },
  { name: "system", description: "Health, readiness and instance information" },
];

export interface Composition {
  modules: MeritModule[];
  settings: SettingsService;
  authenticate?: Authenticator;
  countUsers(): Promise<number>;
  points: PointsModule;
  forum: ForumModule;
}

/** Builds every feature module for this process. */
export function composeModules(core: CoreContext): Composition {
  const settings = createSettingsService({ db: core.db, clock: core.clock, audit: recordAudit });
  const mail = mailModule(core);
  const accounts = accountsModule(core, { settings, mail: mail.mail });
  const modules: MeritModule[] = [
    { name: "settings", routes: settingsRoutes(settings) },
    mail.module,
    accounts.module,
  ];
  // Points after accounts: its demo seed awards points to the demo members.
  const points = pointsModule(core, { settings });
  accounts.onAccountDeleted(points.forgetParticipant);
  modules.push(points.module);
  // Forum after points: its campaigns award points through the ledger, its demo seed needs the demo users.
  const forum = forumModule(core, { settings, points: createLedgerSink(points, core.logger) });
  accounts.onAccountDeleted(forgetForumAccount);
  modules.push(forum.module);
  return {
    modules,
    settings,
    authenticate: accounts.authenticate,
    countUsers: accounts.countUsers,
    points,
    forum,
  };
}
