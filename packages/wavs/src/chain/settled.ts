/** Small promise helpers of the send loop: outcomes as values, bounded concurrency. */

/** A promise's outcome as a value. */
export type Settled<T> = { ok: true; value: T } | { ok: false; err: unknown };

/** Wait for a promise, never throwing: its value or its error. */
export function attempt<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true, value }),
    (err: unknown) => ({ ok: false, err }),
  );
}

/** Run `fn` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
