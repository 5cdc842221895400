// Request/response schemas of contributions and the ledger.
import { Type } from "typebox";
import { Offset } from "../../core/http/schemas.ts";
import { DecimalString } from "./catalog.schemas.ts";

const Evidence = Type.Object(
  {
    // http(s) only: evidence links are shown to everyone, and a javascript:, data: or file: link
    // would run or open from the page of whoever clicks it.
    url: Type.String({
      format: "uri",
      pattern: "^[Hh][Tt][Tt][Pp][Ss]?://",
      maxLength: 2000,
      description: "An http or https URL",
    }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const Contribution = Type.Object({
  id: Type.String({ format: "uuid" }),
  userId: Type.String({ format: "uuid" }),
  username: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  contributionTypeId: Type.String({ format: "uuid" }),
  contributionType: Type.String({ description: "Type slug" }),
  contributionTypeName: Type.String(),
  category: Type.String({ description: "Category slug" }),
  points: Type.Integer({ description: "Base points (current, after corrections)" }),
  multiplierAtCreation: DecimalString("Multiplier frozen at award"),
  globalPoints: DecimalString("points x multiplierAtCreation, exact"),
  contributionDate: Type.String({ format: "date-time" }),
  evidence: Type.Array(Evidence),
  notes: Type.Union([Type.String(), Type.Null()]),
  source: Type.String({ description: "manual, submission, forum-post, bounty..." }),
  sourceRef: Type.Union([Type.String(), Type.Null()]),
  awardedBy: Type.Union([Type.String({ format: "uuid" }), Type.Null()], {
    description:
      "Id of the account that awarded it (a staff member, or the account automatic awards run as): only admins, stewards and the participant it belongs to see it; null for everyone else",
  }),
  createdAt: Type.String({ format: "date-time" }),
  revokedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
    description: "When the contribution was revoked (null: it counts); shown to everyone",
  }),
  revokeReason: Type.Union([Type.String(), Type.Null()], {
    description:
      "Why it was revoked, a moderator's note: only admins, stewards and the participant it belongs to see it; null for everyone else and while not revoked",
  }),
});

export const NewContribution = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    userId: Type.Optional(Type.String({ format: "uuid" })),
    contributionTypeId: Type.String({ format: "uuid" }),
    points: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    contributionDate: Type.Optional(Type.String({ format: "date-time" })),
    notes: Type.Optional(
      Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], {
        description: "Public: returned with the contribution to anyone who can see it",
      }),
    ),
    evidence: Type.Optional(Type.Array(Evidence, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const ContributionQuery = Type.Object({
  user: Type.Optional(Type.String({ description: "username or user id" })),
  type: Type.Optional(Type.String({ description: "type id or slug" })),
  category: Type.Optional(Type.String({ description: "category slug" })),
  campaign: Type.Optional(Type.String({ description: "campaign slug" })),
  from: Type.Optional(Type.String({ description: "contribution date from (inclusive)" })),
  to: Type.Optional(Type.String({ description: "contribution date to (a plain date includes that day)" })),
  includeRevoked: Type.Optional(
    Type.Boolean({
      default: false,
      description:
        "Also list revoked contributions (their revokeReason only for staff and their participant)",
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Offset),
});

export const Reason = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);

export const Correction = Type.Object(
  {
    points: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

export const LedgerEntry = Type.Object({
  id: Type.String(),
  contributionId: Type.String({ format: "uuid" }),
  userId: Type.String({ format: "uuid" }),
  username: Type.String(),
  kind: Type.Union([Type.Literal("award"), Type.Literal("correction"), Type.Literal("revocation")]),
  pointsDelta: Type.Integer(),
  globalDelta: DecimalString("Change of global points"),
  countDelta: Type.Integer(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorUsername: Type.Union([Type.String(), Type.Null()]),
  typeSlug: Type.String({ description: "The contribution's type" }),
  typeName: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
});

export const LedgerQuery = Type.Object({
  user: Type.Optional(Type.String()),
  contribution: Type.Optional(Type.String({ format: "uuid" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Offset),
});
