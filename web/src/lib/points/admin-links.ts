// The points admin pages (also listed on the admin landing page).
export const pointsAdminLinks = [
  {
    href: "/admin/awards",
    label: "Award",
    text: "Award points by hand: type, points in range, date, notes, evidence.",
  },
  {
    href: "/admin/contributions",
    label: "Contributions",
    text: "Every contribution with filters, CSV export and revocation.",
  },
  {
    href: "/admin/types",
    label: "Types",
    text: "Contribution types: point ranges, caps, who may submit them.",
  },
  {
    href: "/admin/categories",
    label: "Categories",
    text: "Groups of contribution types, each with its own board.",
  },
  {
    href: "/admin/multipliers",
    label: "Multipliers",
    text: "Each type's multiplier history and scheduled changes.",
  },
  { href: "/admin/snapshots", label: "Snapshots", text: "Frozen boards: take one now, browse the history." },
  {
    href: "/admin/ledger",
    label: "Ledger",
    text: "The append-only record of awards, corrections and revocations.",
  },
];
