// One place turns every failure into `{"error":{"code","message","details?"}}` with the right status.
import type { FastifyError, FastifyInstance } from "fastify";
import { AppError } from "../errors.ts";

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldOf(context: string | undefined, issue: ValidationIssue): string {
  const missing = issue.params?.missingProperty;
  const extra = issue.params?.additionalProperty;
  const pointer = (issue.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
  const leaf = typeof missing === "string" ? missing : typeof extra === "string" ? extra : "";
  return [context, pointer, leaf].filter(Boolean).join(".");
}

/** Installs the central error and not-found handlers. */
export function installErrorHandlers(
  app: FastifyInstance,
  notFoundFallback?: (url: string) => string | null,
) {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      const body: Record<string, unknown> = { code: err.code, message: err.message };
      if (err.details !== undefined) body.details = err.details;
      return reply.status(err.status).send({ error: body });
    }
    const fe = err as FastifyError & { validationContext?: string };
    if (fe.validation) {
      const details = (fe.validation as ValidationIssue[]).map((i) => ({
        field: fieldOf(fe.validationContext, i),
        message: i.message ?? "is invalid",
      }));
      const first = details[0];
      return reply.status(400).send({
        error: {
          code: "VALIDATION_ERROR",
          message: first ? `${first.field || fe.validationContext}: ${first.message}` : "Invalid request",
          details,
        },
      });
    }
    const status = fe.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 429 ? "RATE_LIMITED" : (fe.code ?? "BAD_REQUEST").replace(/^FST_ERR_/, "");
      return reply.status(status).send({ error: { code, message: fe.message } });
    }
    request.log.error({ err }, "unhandled error");
    return reply.status(500).send({
      error: {
        code: "INTERNAL_ERROR",
        message: `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
      },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    const accept = request.headers.accept ?? "";
    if (request.method === "GET" && notFoundFallback && accept.includes("text/html")) {
      const html = notFoundFallback(request.url);
      if (html !== null) return reply.type("text/html; charset=utf-8").send(html);
    }
    return reply.status(404).send({
      error: { code: "NOT_FOUND", message: `No route for ${request.method} ${request.url.split("?")[0]}` },
    });
  });
}
