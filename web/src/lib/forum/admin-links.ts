// The forum admin pages (also listed on the admin landing page).
export const forumAdminLinks = [
  {
    href: "/admin/forum",
    label: "Forum campaigns",
    text: "Signature campaigns: settings, ranks and bonuses, signature designs.",
  },
];
