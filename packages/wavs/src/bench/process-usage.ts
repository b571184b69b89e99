import { readdirSync, readFileSync } from "node:fs";

/** The fields of `/proc/<pid>/stat` after the command name (state first); undefined when gone. */
function statFields(pid: number | string | undefined): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds a process has used so far (Linux /proc); 0 when unreadable. */
export function cpuSeconds(pid: number | undefined): number {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : 0;
}

/**
 * A process's memory in MB from Linux `/proc/<pid>/status`: `VmRSS` (resident now) or `VmHWM`
 * (peak resident so far); 0 when unreadable.
 */
export function memoryMb(pid: number | undefined, field: "VmRSS" | "VmHWM"): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every process descended from `pid` whose command line contains `needle` (Linux /proc). */
export function descendantsMatching(pid: number, needle: string): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    // gone meanwhile when unreadable
    if (fields) parentOf.set(Number(entry), Number(fields[1]));
  }
  const isDescendant = (p: number): boolean => {
    for (let cur = parentOf.get(p); cur !== undefined && cur > 1; cur = parentOf.get(cur)) {
      if (cur === pid) return true;
    }
    return false;
  };
  return [...parentOf.keys()].filter((p) => {
    if (!isDescendant(p)) return false;
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").replaceAll("\0", " ").includes(needle);
    } catch {
      return false;
    }
  });
}
