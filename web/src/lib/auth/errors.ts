// Turns API errors into what a form shows: a message under the field it concerns, or one for the form.
import { ApiError } from "$lib/api/api";

export interface FormErrors {
  /** Message for the whole form (shown in an alert), when the error names no field of this form. */
  form: string | null;
  /** Messages keyed by field name. */
  fields: Record<string, string>;
}

export const noErrors = (): FormErrors => ({ form: null, fields: {} });

// Error codes that always concern one field, when the body does not say so itself.
const CODE_FIELDS: Record<string, string> = {
  EMAIL_TAKEN: "email",
  USERNAME_TAKEN: "username",
  INVALID_EMAIL: "email",
  INVALID_USERNAME: "username",
  WEAK_PASSWORD: "password",
  INVALID_REFERRAL_CODE: "referralCode",
  INVALID_CREDENTIALS: "password",
  OTP_INVALID: "otp",
};

// What to do, for codes whose server message only states the problem ("email is already registered").
const CODE_MESSAGES: Record<string, string> = {
  EMAIL_TAKEN:
    "Another account already uses this e-mail address: use a different one, or sign in to that account.",
  USERNAME_TAKEN: "This username is taken: choose another one.",
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Seconds to wait from a 429 body (details.retryAfterSeconds), if given. */
export function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof ApiError) || !isRecord(error.details)) return null;
  const value = error.details.retryAfterSeconds;
  return typeof value === "number" && value > 0 ? Math.ceil(value) : null;
}

/** A sentence for any error: the server's message, with friendlier wording for network and rate limits. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something unexpected went wrong. Please try again.";
  if (error.status === 0) return "Cannot reach the Merit server. Check your connection and try again.";
  if (error.status === 429) {
    const wait = retryAfterSeconds(error);
    const when =
      wait === null ? "in a little while" : wait < 90 ? `in ${wait} s` : `in ${Math.ceil(wait / 60)} min`;
    return `Too many attempts. Please try again ${when}.`;
  }
  if (error.code === "WEAK_PASSWORD" && isRecord(error.details) && Array.isArray(error.details.problems)) {
    const problems = error.details.problems.filter((p): p is string => typeof p === "string");
    if (problems.length > 0) return `Password ${problems.join("; ")}.`;
  }
  return CODE_MESSAGES[error.code] ?? error.message;
}

/**
 * Maps an error onto a form: validation errors and coded errors land on their field when the form has
 * it (`fieldNames`), everything else becomes the form-level message. `aliases` renames API fields
 * (e.g. newPassword -> password).
 */
export function toFormErrors(
  error: unknown,
  fieldNames: readonly string[],
  aliases: Record<string, string> = {},
): FormErrors {
  const result = noErrors();
  const place = (apiField: string | undefined, message: string): boolean => {
    if (!apiField) return false;
    const name = aliases[apiField] ?? apiField;
    if (!fieldNames.includes(name)) return false;
    result.fields[name] ??= message.charAt(0).toUpperCase() + message.slice(1);
    return true;
  };
  if (error instanceof ApiError) {
    const message = describeError(error);
    if (error.code === "VALIDATION_ERROR" && Array.isArray(error.details)) {
      for (const issue of error.details) {
        if (!isRecord(issue) || typeof issue.field !== "string") continue;
        const field = issue.field.replace(/^(body|query|params)\./, "");
        const text = typeof issue.message === "string" ? issue.message : "is invalid";
        if (!place(field, `${field} ${text}`)) result.form ??= message;
      }
      if (Object.keys(result.fields).length > 0 || result.form) return result;
    }
    const detailField =
      isRecord(error.details) && typeof error.details.field === "string" ? error.details.field : undefined;
    if (!place(detailField ?? CODE_FIELDS[error.code], message)) result.form = message;
    return result;
  }
  result.form = describeError(error);
  return result;
}
