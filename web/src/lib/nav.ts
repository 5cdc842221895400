// Top-level sections shown in the header. Pages not built yet render the "coming soon" route.

export interface NavItem {
  href: string;
  label: string;
  /** One line shown on the "coming soon" page until the section exists. */
  blurb: string;
  /** Shown only to staff (admins and stewards); others would land on a 403. */
  staffOnly?: boolean;
}

export const navItems: NavItem[] = [
  { href: "/", label: "Home", blurb: "" },
  {
    href: "/leaderboard",
    label: "Leaderboard",
    blurb: "Live rankings of verified contributions, updated as points are scored.",
  },
  {
    href: "/campaigns",
    label: "Campaigns",
    blurb: "Incentive programs and forum signature campaigns you can join.",
  },
  {
    href: "/forum",
    label: "Forum",
    blurb: "Bitcointalk signature campaigns: wear the signature, earn points for every post.",
  },
  {
    href: "/participants",
    label: "Participants",
    blurb: "Everyone taking part, their ranks and their contribution history.",
  },
  {
    href: "/admin",
    label: "Admin",
    blurb: "Manage campaigns, contribution types, reviews and payouts.",
    staffOnly: true,
  },
];

/** Whether the nav item is the current section (Home only on "/"). */
export function isActive(item: NavItem, pathname: string): boolean {
  return item.href === "/"
    ? pathname === "/"
    : pathname === item.href || pathname.startsWith(`${item.href}/`);
}
