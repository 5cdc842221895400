// The forum admin pages (also listed on the admin landing page).
export const forumAdminLinks = [
  {
    href: "/admin/forum",
    label: "Forum campaigns",
    /** The admin tab's shorter name, so every tab fits one line at 1280 px. */
    tab: "Forum",
    text: "Signature campaigns: settings, ranks and bonuses, signature designs.",
  },
];
