import type { CoreContext } from "../../core/module.ts";
import * as repo from "./accounts.repo.ts";
import { createUser } from "./accounts.service.ts";

export const DEMO_ADMIN = { username: "admin", email: "admin@merit.local", password: "admin" } as const;
/** Every demo member (alice, bob, ...) signs in with this password. */
export const DEMO_MEMBER_PASSWORD = "Merit-demo-2026!";
const DEMO_MEMBERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
/** The demo's accounts joined this long before the seed: its contributions go back 45 days. */
const JOINED_BEFORE_SEED_MS = 60 * 86_400_000;

/** Demo accounts: an admin/admin login (demo mode only, never in production) and a few members. */
export async function seedDemoAccounts(core: CoreContext): Promise<void> {
  if (core.config.nodeEnv === "production") {
    throw new Error("Refusing to seed demo accounts (admin/admin) when NODE_ENV=production");
  }
  // Joined before the demo's history, so no profile says "joined today" above weeks of contributions.
  const joined = { now: () => new Date(core.clock.now().getTime() - JOINED_BEFORE_SEED_MS) };
  const deps = { db: core.db, clock: joined };
  if (!(await repo.findUserByLogin(core.db.orm, DEMO_ADMIN.username))) {
    await createUser(deps, {
      ...DEMO_ADMIN,
      displayName: "Demo Admin",
      roles: ["admin", "member"],
      emailConfirmed: true,
      allowWeakPassword: true,
    });
    core.logger.warn(
      "DEMO MODE: created the admin account admin / admin. Anyone can sign in with it; never expose this instance.",
    );
  }
  for (const name of DEMO_MEMBERS) {
    if (await repo.findUserByLogin(core.db.orm, name)) continue;
    await createUser(deps, {
      email: `${name}@merit.local`,
      username: name,
      displayName: name[0].toUpperCase() + name.slice(1),
      password: DEMO_MEMBER_PASSWORD,
      emailConfirmed: true,
    });
  }
}
