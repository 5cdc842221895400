// Shared request/response schemas: the error body, pagination.
import { type TSchema, Type } from "typebox";

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "Stable machine-readable code, SCREAMING_SNAKE" }),
      message: Type.String({ description: "Human-readable explanation naming the problem" }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: "Every error response has this body" },
);

/** Error responses every authenticated route may return, for the OpenAPI document. */
export const ErrorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
} as const;

/**
 * A 200 response that is not JSON (a CSV file, an event stream): documents its media type in the
 * OpenAPI document; the body is sent as is, never serialised.
 */
export function textResponse(mediaType: string, description: string) {
  return { description, content: { [mediaType]: { schema: { type: "string" } } } };
}

/**
 * How many items a page skips. Bounded: an unbounded integer let `1e20` (bigint overflow) or
 * `1e309` (Infinity) through to SQL's OFFSET, a 500; no list comes near a billion items.
 */
export const Offset = Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 });

export const Pagination = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Offset),
});

/**
 * Paging of short lists read whole (categories, types, multipliers, campaigns): the same bounds,
 * but a first page of 100 so a client usually needs one request.
 */
export const ShortListPagination = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
  offset: Type.Optional(Offset),
});

/** `{items, total}` list envelope; the description (if any) becomes the OpenAPI response's. */
export const ListOf = <T extends TSchema>(item: T, description?: string) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer() }, description ? { description } : {});
