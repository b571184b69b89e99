/**
 * glibc's allocator raises its mmap threshold each time a large block is freed (up to 32 MiB),
 * after which large blocks come from its arenas and stay there, fragmented, when freed. A node
 * frees many: every component file read, rewritten and compiled, every snapshot. Fixing the
 * threshold keeps large blocks in their own mappings, returned to the system on free: an
 * operator of `wavs dev` went from 400 - 450 to 265 - 300 MB resident with it. glibc reads it
 * only at process start, so whoever starts a node sets it (`wavs dev` does; the operator guide's
 * systemd unit does); other C libraries ignore it.
 */
export const NODE_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: "131072",
};

/** The variables of `NODE_MALLOC_ENV` the environment `env` lacks. */
export function missingMallocEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(NODE_MALLOC_ENV).filter((k) => env[k] === undefined);
}
