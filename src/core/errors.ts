// One error type for every expected failure; the HTTP layer maps `status` to the response.
export type ErrorDetails = Record<string, unknown> | unknown[];

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/**
 * A lookup of something a request body names: its 404 becomes a 422 with the same code and details.
 * One status rule (ARCHITECTURE): 404 for a path or query filter naming nothing, 422 for a body.
 */
export async function inBody<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (err) {
    if (err instanceof AppError && err.status === 404)
      throw new AppError(422, err.code, err.message, err.details);
    throw err;
  }
}

/** 400: the request is malformed. */
export const badRequest = (code: string, message: string, details?: ErrorDetails) =>
  new AppError(400, code, message, details);
/** 401: no or invalid credentials. */
export const unauthorized = (code: string, message: string, details?: ErrorDetails) =>
  new AppError(401, code, message, details);
/** 403: authenticated but not allowed. */
export const forbidden = (code: string, message: string, details?: ErrorDetails) =>
  new AppError(403, code, message, details);
/** 404: the named thing does not exist. */
export const notFound = (code: string, message: string, details?: ErrorDetails) =>
  new AppError(404, code, message, details);
/** 409: conflicts with existing state (duplicates). */
export const conflict = (code: string, message: string, details?: ErrorDetails) =>
  new AppError(409, code, message, details);
/** 410: existed once, gone now (used/expired tokens). */
export const gone = (code: string, message: string, details?: ErrorDetails) =>
  new AppError(410, code, message, details);
/** 422: well-formed but breaks a business rule. */
export const unprocessable = (code: string, message: string, details?: ErrorDetails) =>
  new AppError(422, code, message, details);
/** 429: too many requests. */
export const tooManyRequests = (code: string, message: string, details?: ErrorDetails) =>
  new AppError(429, code, message, details);
