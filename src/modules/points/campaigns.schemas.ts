// Request/response schemas of points campaigns.
import { Type } from "typebox";
import { DecimalString } from "./catalog.schemas.ts";
import { SLUG_PATTERN } from "./points.shared.ts";

const DateTime = Type.String({ format: "date-time" });

export const Pool = Type.Object(
  {
    amount: Type.String({
      pattern: "^\\d+(\\.\\d+)?$",
      maxLength: 80,
      description: "Pool in token units, e.g. 120000 (at most 80 characters)",
    }),
    token: Type.String({ minLength: 1, maxLength: 16 }),
    decimals: Type.Integer({ minimum: 0, maximum: 18 }),
  },
  { additionalProperties: false },
);

export const Campaign = Type.Object({
  id: Type.String({ format: "uuid" }),
  slug: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  startsAt: DateTime,
  endsAt: Type.Union([DateTime, Type.Null()], { description: "Exclusive end; null: open-ended" }),
  pool: Type.Union([Pool, Type.Null()]),
  contributionTypes: Type.Array(Type.String({ format: "uuid" }), { description: "Empty: every type counts" }),
  managedBy: Type.Union([Type.String(), Type.Null()], {
    description:
      'The module that keeps this campaign in step with its own record, or null. "forum": the board of a forum signature campaign, edited on /api/forum/campaigns and joined by claiming a forum account; PATCH here answers 409 CAMPAIGN_MANAGED.',
  }),
  board: Type.String({ description: "Board name for /api/leaderboard?board=" }),
  participants: Type.Integer(),
  points: DecimalString("Points on the campaign board"),
  createdAt: DateTime,
});

const editable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Union([Type.String({ maxLength: 5000 }), Type.Null()]),
  startsAt: DateTime,
  endsAt: Type.Union([DateTime, Type.Null()], { description: "Exclusive end; null: open-ended" }),
  pool: Type.Union([Pool, Type.Null()]),
  contributionTypes: Type.Array(Type.String({ format: "uuid" }), {
    maxItems: 200,
    description: "Counted contribution type ids; empty: every type counts",
  }),
};

export const NewCampaign = Type.Object(
  {
    slug: Type.String({ pattern: SLUG_PATTERN }),
    name: editable.name,
    description: Type.Optional(editable.description),
    startsAt: editable.startsAt,
    endsAt: Type.Optional(editable.endsAt),
    pool: Type.Optional(editable.pool),
    contributionTypes: Type.Optional(editable.contributionTypes),
  },
  { additionalProperties: false },
);

export const CampaignPatch = Type.Partial(Type.Object(editable), {
  additionalProperties: false,
  minProperties: 1,
  description:
    "Fields to change; absent fields keep their value. The slug never changes. endsAt null makes the campaign open-ended, pool null removes the pool, contributionTypes [] counts every type.",
});
