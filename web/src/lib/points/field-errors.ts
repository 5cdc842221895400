// An API error placed on the form field it names (`details.field`, or the first validation issue),
// worded with the form's labels instead of the API's field names, and focus moved to that field.
import { tick } from "svelte";
import { ApiError } from "$lib/api/api";
import { errorMessage } from "./errors";

export interface PlacedError {
  /** The form's name of the field (a key of `labels`), or null for an error of the whole form. */
  field: string | null;
  message: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The API field an error names: `details.field`, or a validation issue's `body.x` / `query.x`. */
function apiFieldOf(error: ApiError): { field: string; message?: string } | null {
  if (isRecord(error.details) && typeof error.details.field === "string")
    return { field: error.details.field };
  if (Array.isArray(error.details)) {
    for (const issue of error.details) {
      if (!isRecord(issue) || typeof issue.field !== "string") continue;
      const field = issue.field.replace(/^(body|query|params)\./, "");
      return { field, message: typeof issue.message === "string" ? `${field} ${issue.message}` : undefined };
    }
  }
  return null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Replaces the API field names in a message by the form's labels ("contributionDate cannot be in the
 * future" -> "Contribution date cannot be in the future"); quoted text (a username typed by the user)
 * is left alone. The first letter is capitalised and the sentence ends with a full stop.
 */
export function relabel(message: string, labels: Record<string, string>): string {
  const names = Object.keys(labels).sort((a, b) => b.length - a.length);
  if (names.length === 0) return message;
  const word = new RegExp(`\\b(${names.map(escapeRegExp).join("|")})\\b`, "g");
  const text = message
    .split(/("[^"]*"|“[^”]*”)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(word, (name) => labels[name] ?? name)))
    .join("");
  const sentence = /[.!?)”"]$/.test(text) ? text : `${text}.`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/**
 * Where a form shows an error: under the field it names when the form has that field (`labels` keys
 * are the API's field names, values the words to use for them), else for the whole form.
 */
export function placeError(error: unknown, labels: Record<string, string>): PlacedError {
  if (!(error instanceof ApiError) || error.status === 0)
    return { field: null, message: errorMessage(error) };
  const named = apiFieldOf(error);
  const message = relabel(named?.message ?? error.message, labels);
  return { field: named && named.field in labels ? named.field : null, message };
}

/** After the DOM shows the error, moves focus to the field (scrolled into view) with this id. */
export async function focusField(id: string): Promise<void> {
  await tick();
  const element = document.getElementById(id);
  if (!element) return;
  element.focus({ preventScroll: true });
  element.scrollIntoView({ block: "center", behavior: "smooth" });
}
