// Request/response schemas of categories, contribution types and multipliers.
import { Type } from "typebox";
import { SLUG_PATTERN } from "./points.shared.ts";

export const DecimalString = (description: string) =>
  Type.String({ pattern: "^-?\\d+(\\.\\d+)?$", description, examples: ["1.50"] });

export const Category = Type.Object({
  id: Type.String({ format: "uuid" }),
  slug: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
});

export const NewCategory = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    slug: Type.String({ pattern: SLUG_PATTERN }),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const CategoryPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  },
  { additionalProperties: false },
);

/** The caps columns are integer (int4). */
const CAP_MAX = 2_147_483_647;

const Caps = Type.Object(
  {
    total: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: CAP_MAX }), Type.Null()], {
        description: "Most base points of this type awarded in total, all participants together",
      }),
    ),
    perParticipantPerWeek: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: CAP_MAX }), Type.Null()], {
        description: "Most base points of this type one participant may receive per week (Monday-Sunday UTC)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ContributionType = Type.Object({
  id: Type.String({ format: "uuid" }),
  slug: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  category: Type.String({ description: "Category slug" }),
  categoryId: Type.String({ format: "uuid" }),
  minPoints: Type.Integer(),
  maxPoints: Type.Integer(),
  active: Type.Boolean(),
  submittable: Type.Boolean({ description: "Participants may submit this type themselves" }),
  caps: Type.Object({
    total: Type.Union([Type.Integer(), Type.Null()]),
    perParticipantPerWeek: Type.Union([Type.Integer(), Type.Null()]),
  }),
  currentMultiplier: DecimalString("Multiplier in force now"),
  managedBy: Type.Union([Type.String(), Type.Null()], {
    description:
      'The module that scores this type, or null. "forum": the posts type of a forum signature campaign, scored by the campaign\'s post points and rank bonuses; PATCH and new multipliers answer 409 TYPE_MANAGED.',
  }),
  createdAt: Type.String({ format: "date-time" }),
});

const typeFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  slug: Type.String({ pattern: SLUG_PATTERN }),
  category: Type.String({ description: "Category slug" }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  minPoints: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  maxPoints: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  submittable: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
  caps: Type.Optional(Caps),
};

export const NewType = Type.Object(typeFields, { additionalProperties: false });
export const TypePatch = Type.Partial(Type.Object(typeFields), { additionalProperties: false });

export const Multiplier = Type.Object({
  id: Type.String({ format: "uuid" }),
  contributionTypeId: Type.String({ format: "uuid" }),
  contributionType: Type.String({ description: "Type slug" }),
  value: DecimalString("Multiplier, exact decimal"),
  validFrom: Type.String({ format: "date-time" }),
  description: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
});

export const NewMultiplier = Type.Object(
  {
    contributionTypeId: Type.String({ format: "uuid" }),
    value: Type.String({
      pattern: "^\\d{1,4}(\\.\\d{1,6})?$",
      description: "Decimal > 0 such as 1.50; stored and shown with at least two decimals (1.5 -> 1.50)",
    }),
    validFrom: Type.String({ format: "date-time" }),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
