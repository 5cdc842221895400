// Paging of lists the API returns as `{items, total}` (limit at most 100, offset from 0).

/** One page of a list held whole (short catalog lists), as `{items, total}`; 100 items when no limit. */
export function pageOf<T>(list: T[], q: { limit?: number; offset?: number }): { items: T[]; total: number } {
  const offset = q.offset ?? 0;
  return { items: list.slice(offset, offset + (q.limit ?? 100)), total: list.length };
}
