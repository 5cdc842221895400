// Top-level sections shown in the header.

export interface NavItem {
  href: string;
  label: string;
  /** Shown only to staff (admins and stewards); others would land on a 403. */
  staffOnly?: boolean;
}

export const navItems: NavItem[] = [
  { href: "/", label: "Home" },
  { href: "/leaderboard", label: "Leaderboard" },
  { href: "/campaigns", label: "Campaigns" },
  { href: "/forum", label: "Forum" },
  { href: "/participants", label: "Participants" },
  { href: "/admin", label: "Admin", staffOnly: true },
];

/** Whether the nav item is the current section (Home only on "/"). */
export function isActive(item: NavItem, pathname: string): boolean {
  return item.href === "/"
    ? pathname === "/"
    : pathname === item.href || pathname.startsWith(`${item.href}/`);
}
