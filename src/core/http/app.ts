// Fastify app factory: plumbing shared by every module (ids, logs, headers, docs, errors, metrics, auth).
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { STATUS_CODES } from "node:http";
import path from "node:path";
import cors from "@fastify/cors";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Ajv, type Options as AjvOptions } from "ajv";
import addFormats from "ajv-formats";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifySchemaValidationError,
  type RawServerDefault,
} from "fastify";
import type { Config } from "../../config.ts";
import { forbidden } from "../errors.ts";
import { UUID_TEXT } from "../ids.ts";
import type { Logger } from "../logger.ts";
import { type Authenticator, bearerToken } from "./actor.ts";
import { installErrorHandlers } from "./error-handler.ts";
import type { Metrics } from "./metrics.ts";

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Fastify's default: longer path segments are refused by the router (414). */
const MAX_PARAM_LENGTH = 100;

export type App = FastifyInstance<
  RawServerDefault,
  import("node:http").IncomingMessage,
  import("node:http").ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpOptions {
  config: Pick<Config, "corsOrigins" | "publicUrl" | "nodeEnv" | "trustProxy">;
  logger: Logger;
  metrics: Metrics;
  version: string;
  /** Built web app (index/200.html + assets); served at / when present. */
  webDir?: string;
  /** The API explorer's groups, in display order (the composition root's API_TAGS). */
  tags?: { name: string; description: string }[];
  authenticate?: Authenticator;
}

const API_DESCRIPTION = `Merit runs community incentive programs: contributions are verified and scored,
participants are ranked on live leaderboards, and reward pools are split fairly.

Errors always have the body \`{"error": {"code", "message", "details?"}}\`.
Lists take \`limit\` (at most 100) and \`offset\` and return \`{items, total}\`.
Authenticate with \`Authorization: Bearer <access token or API key>\`.`;

/**
 * Responses without a description of their own are named by their status ("Not Found"), not by the
 * generator's placeholder "Default Response" on every status of every operation.
 */
function namedResponses<T>(doc: T): T {
  const paths = (
    doc as {
      paths?: Record<string, Record<string, { responses?: Record<string, { description?: string }> }>>;
    }
  ).paths;
  for (const ops of Object.values(paths ?? {}))
    for (const op of Object.values(ops))
      for (const [status, response] of Object.entries(op.responses ?? {}))
        if (response.description === "Default Response")
          response.description = STATUS_CODES[Number(status)] ?? "Response";
  return doc;
}

/** Merit's mark (as the web app's favicon) for the API explorer's tab. */
const DOCS_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#7c5cff"/><stop offset="1" stop-color="#2bb5a0"/></linearGradient></defs><rect width="32" height="32" rx="8" fill="url(#g)"/><path d="M16 6.5l2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L16 20.8l-5.6 2.9 1.1-6.2L7 13.1l6.2-.9z" fill="#fff"/></svg>`;

/** The explorer's top-bar logo: the mark and "Merit API", on the bar's dark background. */
const DOCS_LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="190" height="40" viewBox="0 0 190 40"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#7c5cff"/><stop offset="1" stop-color="#2bb5a0"/></linearGradient></defs><g transform="translate(4 4)"><rect width="32" height="32" rx="8" fill="url(#g)"/><path d="M16 6.5l2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L16 20.8l-5.6 2.9 1.1-6.2L7 13.1l6.2-.9z" fill="#fff"/></g><text x="46" y="27" font-family="sans-serif" font-size="20" font-weight="700" fill="#ffffff">Merit API</text></svg>`;

/**
 * The standard formats, with `uuid` narrowed to what PostgreSQL reads: ajv-formats also accepts a
 * `urn:uuid:` prefix, which PostgreSQL refuses, so such an id in any path, query or body answered 500.
 */
function withFormats(ajv: Ajv): Ajv {
  addFormats.default(ajv);
  return ajv.addFormat("uuid", UUID_TEXT);
}

/**
 * Request validation. Query strings, params and headers are text, so their values are coerced to
 * the schema's types ("20" -> 20, one value -> an array). JSON bodies are not: coercion there turned
 * `0`, `""` and `false` into null for nullable fields (removing a cap or a pool) and `true` into 1
 * point, so a body value of the wrong type is a 400 naming the field. allErrors stays off (a request
 * could otherwise make validation do unbounded work).
 */
function createValidatorCompiler() {
  const base: AjvOptions = {
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    addUsedSchema: false,
  };
  const forText = withFormats(new Ajv({ ...base, coerceTypes: "array" }));
  const forJson = withFormats(new Ajv({ ...base, coerceTypes: false }));
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => {
    const validate = (httpPart === "body" ? forJson : forText).compile(schema);
    const known = httpPart === "querystring" ? queryNames(schema) : null;
    const checked = (data: unknown): boolean => {
      const unknown = known ? unknownParameter(data, known) : null;
      if (unknown) {
        checked.errors = [unknown];
        return false;
      }
      if (!validate(data)) {
        checked.errors = validate.errors ?? null;
        return false;
      }
      const issue = unsafeValue(data);
      checked.errors = issue ? [issue] : null;
      return issue === null;
    };
    checked.errors = null as FastifySchemaValidationError[] | null;
    return checked;
  };
}

/**
 * The parameter names a route's query schema declares (inside `allOf` too: intersected schemas), or
 * null when it takes any (additionalProperties or patternProperties set).
 */
function queryNames(schema: object): string[] | null {
  const names: string[] = [];
  let open = false;
  const visit = (s: unknown) => {
    if (!s || typeof s !== "object") return;
    const o = s as {
      properties?: object;
      allOf?: unknown[];
      additionalProperties?: unknown;
      patternProperties?: object;
    };
    if ((o.additionalProperties !== undefined && o.additionalProperties !== false) || o.patternProperties)
      open = true;
    names.push(...Object.keys(o.properties ?? {}));
    for (const part of o.allOf ?? []) visit(part);
  };
  visit(schema);
  return open ? null : names;
}

/**
 * A query parameter the route does not take, as a validation issue naming it. Unknown names used to
 * be ignored, so a misspelt filter (`?usr=bob`, `?perod=week`) answered with everything, unfiltered,
 * as if it had been applied.
 */
function unknownParameter(data: unknown, known: string[]): FastifySchemaValidationError | null {
  if (!data || typeof data !== "object") return null;
  const extra = Object.keys(data).find((k) => !known.includes(k));
  if (extra === undefined) return null;
  const hint = known.length ? `this route takes ${known.join(", ")}` : "this route takes no query parameters";
  return {
    keyword: "additionalProperties",
    schemaPath: "",
    params: { additionalProperty: extra },
    instancePath: "",
    message: `is not a query parameter of this route (${hint})`,
  };
}

/**
 * What schemas let through but the server cannot take, as a validation issue: U+0000 in a string or
 * key (PostgreSQL text cannot hold it; every route answered 500), and a number that is not finite
 * (Ajv coerces the texts "1e309" and "Infinity" to Infinity and then skips every range check, so
 * `?limit=Infinity` reached SQL).
 */
function unsafeValue(data: unknown): FastifySchemaValidationError | null {
  const issue = (instancePath: string, message: string) => ({
    keyword: "safe",
    schemaPath: "",
    params: {},
    instancePath,
    message,
  });
  // Iterative: a deeply nested JSON body must not overflow the stack.
  const pending: Array<[unknown, string]> = [[data, ""]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, at] = next;
    if (typeof value === "string" && value.includes("\u0000"))
      return issue(at, "must not contain NUL characters");
    if (typeof value === "number" && !Number.isFinite(value)) return issue(at, "must be a finite number");
    if (value && typeof value === "object") {
      for (const [k, child] of Object.entries(value)) {
        if (k.includes("\u0000")) return issue(at, "must not contain NUL characters");
        pending.push([child, `${at}/${k}`]);
      }
    }
  }
  return null;
}

/** Builds the Fastify instance with core plugins; modules add their routes afterwards via `app.register`. */
export async function createHttpApp(opts: HttpOptions): Promise<App> {
  // Fastify's types take a hop count only as a function of the hop.
  const trusted = opts.config.trustProxy;
  const trustProxy = typeof trusted === "number" ? (_address: string, hop: number) => hop < trusted : trusted;
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    trustProxy,
    // The router's own refusals (a malformed %-escape, an over-long path segment) answered outside
    // the error handler, in Fastify's body instead of ours.
    frameworkErrors: (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const code = err.code === "FST_ERR_MAX_PARAM_LENGTH" ? "URL_TOO_LONG" : "BAD_URL";
      const message =
        code === "URL_TOO_LONG"
          ? `A path segment is longer than ${MAX_PARAM_LENGTH} characters`
          : "The URL has a malformed %-escape";
      return reply.status(err.statusCode ?? 400).send({ error: { code, message } });
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(createValidatorCompiler());
  // An API route without a query schema takes no query parameters: one given is refused by name
  // (400), as a misspelt filter is on routes that take some, instead of being silently ignored
  // (`/api/stats?days=7` answered as if it had a days filter). A route that must accept anything
  // declares a querystring schema with additionalProperties.
  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith("/api/")) return;
    route.schema = {
      ...route.schema,
      querystring: route.schema?.querystring ?? { type: "object", properties: {} },
    };
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    opts.metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.decorateRequest("actor", null);
  if (opts.authenticate) {
    const authenticate = opts.authenticate;
    app.addHook("onRequest", async (request) => {
      const token = bearerToken(request);
      request.actor = token ? await authenticate(token) : null;
      // API keys carry scopes: without "write" a key may only read. One central rule for every route.
      const actor = request.actor;
      if (actor?.via === "api-key" && !READ_METHODS.has(request.method) && !actor.scopes?.includes("write")) {
        throw forbidden("INSUFFICIENT_SCOPE", 'This API key has no "write" scope: it may only read');
      }
    });
  }

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "https:", "http:"],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cors, { origin: opts.config.corsOrigins.length > 0 ? opts.config.corsOrigins : false });
  await app.register(rateLimit, { global: false });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Merit API",
        version: opts.version,
        description: `${API_DESCRIPTION}\n\n[Back to the web app](${opts.config.publicUrl})`,
      },
      ...(opts.tags ? { tags: opts.tags } : {}),
      servers: [{ url: opts.config.publicUrl }],
      components: {
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT or API key" } },
      },
    },
    transformObject: (doc) =>
      "openapiObject" in doc ? namedResponses(doc.openapiObject) : doc.swaggerObject,
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    // Merit's mark instead of the UI's default one, linking back to the web app.
    logo: { type: "image/svg+xml", content: Buffer.from(DOCS_LOGO), href: "/", target: "_self" },
    theme: {
      title: "Merit API",
      favicon: [
        {
          filename: "favicon.svg",
          rel: "icon",
          sizes: "any",
          type: "image/svg+xml",
          content: Buffer.from(DOCS_ICON),
        },
      ],
    },
    uiConfig: { persistAuthorization: true, tryItOutEnabled: true, deepLinking: true },
  });
  app.get("/docs/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const fallback = opts.webDir ? spaFallback(opts.webDir) : undefined;
  if (opts.webDir && existsSync(opts.webDir)) {
    // Files are looked up per request (wildcard), so a rebuilt web app, whose assets have new hashed
    // names, is served without restarting; a path that is no file goes on to the fallback below.
    await app.register(fastifyStatic, {
      root: opts.webDir,
      prefix: "/",
      wildcard: true,
      index: "index.html",
    });
  }
  installErrorHandlers(app as unknown as FastifyInstance, fallback);
  return app;
}

/**
 * Client-side routes: any unknown GET that wants HTML gets the SPA shell (never for /api or /docs).
 * The shell is read again when its file changes (a rebuilt web app names new assets).
 */
function spaFallback(webDir: string) {
  let cached: { file: string; mtimeMs: number; html: string } | null = null;
  return (url: string): string | null => {
    if (url.startsWith("/api/") || url.startsWith("/docs")) return null;
    const file = ["200.html", "index.html"].map((f) => path.join(webDir, f)).find((f) => existsSync(f));
    if (!file) return null;
    const { mtimeMs } = statSync(file);
    if (cached?.file !== file || cached.mtimeMs !== mtimeMs)
      cached = { file, mtimeMs, html: readFileSync(file, "utf8") };
    return cached.html;
  };
}
