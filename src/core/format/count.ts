/** 228246 -> "228,246": counts of tokens and items, independent of the host's locale (as formatUsd). */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
