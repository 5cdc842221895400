// How a user row is shown: to its owner (`/api/users/me`) and to admins.
import type { UserRow } from "./accounts.repo.ts";

export interface MeView {
  id: string;
  email: string | null;
  username: string;
  displayName: string | null;
  roles: string[];
  emailConfirmed: boolean;
  twoFactorEnabled: boolean;
  walletAddress: string | null;
  referralCode: string;
  locale: string | null;
  createdAt: string;
}

export interface AdminUserView extends MeView {
  banned: boolean;
  banReason: string | null;
  bannedAt: string | null;
  hidden: boolean;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The owner's view of an account. */
export function meView(u: UserRow): MeView {
  return {
    id: u.id,
    email: u.email,
    username: u.username,
    displayName: u.display_name,
    roles: u.roles,
    emailConfirmed: u.email_confirmed_at !== null,
    twoFactorEnabled: u.two_factor_enabled_at !== null,
    walletAddress: u.wallet_address,
    referralCode: u.referral_code,
    locale: u.locale,
    createdAt: new Date(u.created_at).toISOString(),
  };
}

/** An admin's view: the owner's plus moderation state. */
export function adminUserView(u: UserRow): AdminUserView {
  return {
    ...meView(u),
    banned: u.banned_at !== null,
    banReason: u.ban_reason,
    bannedAt: iso(u.banned_at),
    hidden: u.hidden,
  };
}
