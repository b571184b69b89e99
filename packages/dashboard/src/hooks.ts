/** Data loading for the pages: fetch now, then again every few seconds while shown. */
import { useEffect, useRef, useState } from "preact/hooks";

/** What a poll holds: the latest data, the latest error, and whether anything came yet. */
export interface Polled<T> {
  data: T | undefined;
  error: Error | undefined;
  loaded: boolean;
}

/**
 * Call `load` now and every `everyMs` (0: once) until the component goes away or `deps`
 * change. A slow answer is never overtaken by an older one.
 */
export function usePoll<T>(
  load: (signal: AbortSignal) => Promise<T>,
  everyMs: number,
  deps: unknown[],
): Polled<T> {
  const [state, setState] = useState<Polled<T>>({
    data: undefined,
    error: undefined,
    loaded: false,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const data = await loadRef.current(abort.signal);
        if (!abort.signal.aborted) setState({ data, error: undefined, loaded: true });
      } catch (error) {
        if (abort.signal.aborted) return;
        setState((s) => ({ data: s.data, error: error as Error, loaded: true }));
      }
      if (everyMs > 0 && !abort.signal.aborted) timer = setTimeout(tick, everyMs);
    };
    setState({ data: undefined, error: undefined, loaded: false });
    void tick();
    return () => {
      abort.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, deps);
  return state;
}
