// Request inputs derived from the app's own OpenAPI document, for the API contract test: the
// operations it lists, a value each schema accepts, and values each schema refuses. The schemas are
// the ones the server validates with (inlined by @fastify/swagger), so Ajv here says what the server
// must refuse.
import { randomUUID } from "node:crypto";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters: Parameter[];
  body?: Schema;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      Omit<Operation, "method" | "path" | "body" | "parameters"> & {
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
}

/** Every operation of the document, in its order. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      ...op,
      method: method.toUpperCase() as Operation["method"],
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content["application/json"]?.schema,
    })),
  );
}

// The server's two validators (core/http/app.ts): JSON bodies without coercion, text parts with it.
const base = { strict: false, useDefaults: false, allErrors: false } as const;
const forJson = addFormats.default(new Ajv({ ...base, coerceTypes: false }));
const forText = addFormats.default(new Ajv({ ...base, coerceTypes: "array" }));
const compiled = new WeakMap<Schema, (v: unknown) => boolean>();

/** Whether a JSON body value is valid for the schema. */
export function accepts(schema: Schema, value: unknown): boolean {
  let check = compiled.get(schema);
  if (!check) {
    const fn = forJson.compile(schema);
    check = (v) => fn(v) as boolean;
    compiled.set(schema, check);
  }
  return check(structuredClone(value));
}

/** Whether a query or path text is valid for the parameter's schema (coerced as the server does). */
export function acceptsText(schema: Schema, text: string): boolean {
  return forText.validate({ type: "object", properties: { v: schema } }, { v: text }) as boolean;
}

const FORMAT_SAMPLES: Record<string, () => string> = {
  "date-time": () => "2026-01-01T00:00:00.000Z",
  date: () => "2026-01-01",
  uuid: () => randomUUID(),
  uri: () => "https://example.test/contract",
  email: () => "contract@example.test",
};
// Strings that fit the patterns the API uses (slugs, decimals, locales, boards, hex signatures).
const STRING_SAMPLES = ["contract-1", "1", "en", "global", "0x00"];

/** A value the schema accepts (throws when it finds none: give the operation an explicit body). */
export function validValue(schema: Schema): unknown {
  const value = candidateValue(schema);
  if (!accepts(schema, value)) throw new Error(`no valid value for ${JSON.stringify(schema)}`);
  return value;
}

function candidateValue(s: Schema): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.anyOf) return candidateValue(s.anyOf.find((b) => b.type !== "null") ?? s.anyOf[0]);
  switch (s.type) {
    case "string": {
      if (s.format && FORMAT_SAMPLES[s.format]) return FORMAT_SAMPLES[s.format]();
      const pad = (t: string) => t.padEnd(s.minLength ?? 0, "x");
      return STRING_SAMPLES.map(pad).find((t) => accepts(s, t)) ?? pad("x");
    }
    case "integer":
    case "number":
      return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? Number.MAX_SAFE_INTEGER);
    case "boolean":
      return false;
    case "array":
      return Array.from({ length: s.minItems ?? 0 }, () => candidateValue(s.items ?? {}));
    case "object": {
      const out: Record<string, unknown> = {};
      const props = s.properties ?? {};
      for (const k of s.required ?? []) out[k] = candidateValue(props[k] ?? {});
      for (const k of Object.keys(props)) {
        if (Object.keys(out).length >= (s.minProperties ?? 0)) break;
        out[k] ??= candidateValue(props[k]);
      }
      return out;
    }
    default:
      return "x";
  }
}

/** The numeric and length bounds of a schema and of its anyOf branches. */
function boundsOf(s: Schema): Schema[] {
  return [s, ...(s.anyOf ?? [])];
}

/** JSON values the schema refuses: wrong types, null, out of range, too long, too many items. */
export function invalidValues(schema: Schema): Array<{ what: string; value: unknown }> {
  const out: Array<{ what: string; value: unknown }> = [
    { what: "a number", value: 12345 },
    { what: "a fraction", value: 1.5 },
    { what: "a negative number", value: -1 },
    { what: "a string", value: "not-a-valid-value" },
    { what: "an empty string", value: "" },
    { what: "a boolean", value: true },
    { what: "null", value: null },
    { what: "an object", value: { wrong: true } },
    { what: "an array", value: [12345] },
  ];
  for (const b of boundsOf(schema)) {
    if (b.minimum !== undefined) out.push({ what: "below the minimum", value: b.minimum - 1 });
    if (b.maximum !== undefined) out.push({ what: "above the maximum", value: b.maximum + 1 });
    if (b.maxLength !== undefined) out.push({ what: "too long", value: "x".repeat(b.maxLength + 1) });
    if (b.maxItems !== undefined && b.items) {
      const item = candidateValue(b.items);
      out.push({ what: "too many items", value: Array.from({ length: b.maxItems + 1 }, () => item) });
    }
  }
  return out.filter((c) => !accepts(schema, c.value));
}

/** Query or path texts the parameter's schema refuses. */
export function invalidTexts(schema: Schema): Array<{ what: string; text: string }> {
  const out = [
    { what: "zero", text: "0" },
    { what: "negative", text: "-1" },
    { what: "a fraction", text: "1.5" },
    { what: "a word", text: "nonsense-value" },
    { what: "not a boolean", text: "maybe" },
    { what: "empty", text: "" },
    { what: "a huge number", text: "1e20" },
    { what: "an infinite number", text: "1e309" },
  ];
  for (const b of boundsOf(schema)) {
    if (b.minimum !== undefined) out.push({ what: "below the minimum", text: String(b.minimum - 1) });
    if (b.maximum !== undefined) out.push({ what: "above the maximum", text: String(b.maximum + 1) });
    if (b.maxLength !== undefined) out.push({ what: "too long", text: "x".repeat(b.maxLength + 1) });
  }
  return out.filter((c) => !acceptsText(schema, c.text));
}

/**
 * Texts the schema accepts but no record or rule matches: where the server parses them further
 * (dates, ids, boards) it must still refuse them with a 4xx, never a 500.
 */
export function oddTexts(schema: Schema): Array<{ what: string; text: string }> {
  return [
    { what: "not a date", text: "not-a-date" },
    { what: "an impossible date", text: "2026-02-31T25:61:00Z" },
    { what: "not a uuid", text: "not-a-uuid" },
    { what: "an unknown uuid", text: randomUUID() },
    { what: "a NUL character", text: "a\u0000b" },
    { what: "a long text", text: "x".repeat(3000) },
    { what: "an infinite number", text: "1e309" },
  ].filter((c) => acceptsText(schema, c.text));
}
