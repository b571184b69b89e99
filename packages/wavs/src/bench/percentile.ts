/** The `p`-th percentile of ascending `sorted` values (nearest rank below); 0 for none. */
export function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The median of `values` in any order (the upper one of an even count). */
export function median(values: readonly number[]): number {
  return pct(
    [...values].sort((a, b) => a - b),
    50,
  );
}
