// Downloads an authenticated export (CSV) as a file: a plain link cannot send the bearer token.
import { ApiError } from "$lib/api/api";
import { session } from "$lib/session.svelte";

/** Fetches `href` with the session's token and saves the answer as `filename`. */
export async function downloadWithAuth(href: string, filename: string): Promise<void> {
  const headers: Record<string, string> = { accept: "text/csv" };
  if (session.accessToken) headers.authorization = `Bearer ${session.accessToken}`;
  const response = await fetch(href, { headers });
  if (!response.ok)
    throw new ApiError(response.status, `HTTP_${response.status}`, `Export failed (${response.status}).`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
