/**
 * A native addon looked for at its first use rather than at import: commands that never sign
 * or hash (`wavs exec`, `--help`) do not pay for finding and opening it. `load` returns
 * undefined where the addon has no build (or is switched off); it is called once either way.
 */
export function lazyAddon<T>(load: () => T | undefined): () => T | undefined {
  let state: { addon: T | undefined } | undefined;
  return () => {
    state ??= { addon: load() };
    return state.addon;
  };
}
