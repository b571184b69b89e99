/**
 * glibc's allocator raises its mmap threshold each time a large block is freed (up to 32 MiB),
 * after which large blocks come from its arenas and stay there, fragmented, when freed. A node
 * frees many: every component file read, rewritten and compiled, every snapshot. Fixing the
 * threshold keeps large blocks in their own mappings, returned to the system on free: an
 * operator of `wavs dev` went from 400 - 450 to 265 - 300 MB resident with it. Each thread that
 * allocates (main, engine workers, libuv's pool, V8's helpers) otherwise gets an arena of its
 * own, up to eight per core, each keeping its free space: two arenas took a further 20 - 30 MB
 * off an idle operator with no cost measured in throughput. glibc reads both only at process
 * start, so whoever starts a node sets them (`wavs dev` does; the operator guide's systemd unit
 * does); other C libraries ignore them.
 */
export const NODE_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: "131072",
  MALLOC_ARENA_MAX: "2",
};

/** The variables of `NODE_MALLOC_ENV` the environment `env` lacks. */
export function missingMallocEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(NODE_MALLOC_ENV).filter((k) => env[k] === undefined);
}
