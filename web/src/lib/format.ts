// Display formatting shared by pages.

const numberFormat = new Intl.NumberFormat("en-US");

/** 12345 -> "12,345". */
export function formatCount(value: number): string {
  return numberFormat.format(value);
}

/** "5–100", "0–1,000,000": the base points a contribution type allows. */
export function formatPointRange(type: { minPoints: number; maxPoints: number }): string {
  return `${formatCount(type.minPoints)}–${formatCount(type.maxPoints)}`;
}

/** 93784 -> "1d 2h 3m"; under a minute -> "42s". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${s % 60}s`;
  return `${s}s`;
}
