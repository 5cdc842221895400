// The first steps of a new instance, in the order they depend on each other: a type needs a category,
// an award needs a type, a campaign counts awards. Each is done once the instance holds what it makes.
// With .ts extensions and no $lib imports: test/web loads this module under Node's resolution too.

/**
 * How much of each thing the instance holds, from the public lists: `ranked` is the global board's
 * participant count (live after every award, unlike the cached /api/stats).
 */
export interface InstanceCounts {
  categories: number;
  types: number;
  ranked: number;
  campaigns: number;
}

export interface FirstStep {
  key: keyof InstanceCounts;
  title: string;
  text: string;
  href: string;
  action: string;
  done: boolean;
}

const STEPS: Omit<FirstStep, "done">[] = [
  {
    key: "categories",
    title: "Create a category",
    text: "Categories group contribution types (builders, validators, community…); each has its own board.",
    href: "/admin/categories",
    action: "Categories",
  },
  {
    key: "types",
    title: "Add a contribution type",
    text: "What people do that earns points, with its point range and optional weekly caps.",
    href: "/admin/types",
    action: "Types",
  },
  {
    key: "ranked",
    title: "Award the first points",
    text: "Award a contribution by hand; it puts its participant on every board at once.",
    href: "/admin/awards",
    action: "Award",
  },
  {
    key: "campaigns",
    title: "Open a campaign",
    text: "A time window with an optional reward pool, split pro rata by points.",
    href: "/campaigns",
    action: "Campaigns",
  },
];

/** The steps with whether each is done; the list is worth showing only while one is not. */
export function firstSteps(counts: InstanceCounts): FirstStep[] {
  return STEPS.map((s) => ({ ...s, done: counts[s.key] > 0 }));
}

/** The first step not done yet (the one to take next), or null when all are. */
export function nextStep(steps: FirstStep[]): FirstStep | null {
  return steps.find((s) => !s.done) ?? null;
}
