// Turning API errors into form messages.
import { ApiError } from "$lib/api/api";

/** The field an API error names (details.field), if any. */
export function errorField(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const details = error.details as { field?: unknown } | undefined;
  return typeof details?.field === "string" ? details.field : null;
}

/** A user-facing message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.status === 0 ? "Cannot reach the Merit server." : error.message;
  return error instanceof Error ? error.message : "Something went wrong.";
}

/** "2026-03-04T10:30" from a datetime-local input, read as UTC -> ISO string. */
export function utcInputToIso(value: string): string {
  return new Date(`${value.length === 16 ? `${value}:00` : value}Z`).toISOString();
}

/** An ISO instant as the value of a datetime-local input, in UTC. */
export function isoToUtcInput(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16);
}
