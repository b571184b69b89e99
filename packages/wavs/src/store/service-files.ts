/**
 * Read-only access to a service's file-system root (`<data>/files/<service_id>`, what a
 * component with `file_system` permission sees as `.`) for GET /dev/fs. Paths are relative to
 * that root; absolute paths, `..`, NUL and symbolic links anywhere on the way are refused, so
 * nothing outside the root can be read.
 */
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { WavsError } from "@wavs-ts/errors";

/** Largest file served. */
export const MAX_SERVED_FILE_BYTES = 16 * 1024 * 1024;

/** A file's bytes, or a directory's entries. */
export type ServiceFile =
  | { kind: "file"; bytes: Uint8Array }
  | {
      kind: "directory";
      entries: { name: string; type: "file" | "directory" | "other"; size: number }[];
    };

function notFound(path: string): WavsError {
  return new WavsError("WAVS_ERR_HTTP_NOT_FOUND", `no file or directory ${JSON.stringify(path)}`, {
    hint: "GET /dev/fs/{service_id} lists the service's files.",
  });
}

/** Read `path` (relative, `/`-separated; "" for the root) under `root`. */
export function readServiceFile(root: string, path: string): ServiceFile {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (path.startsWith("/") || path.includes("\0") || parts.some((p) => p === "..")) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      "path parameter path: must be relative to the service's root, without '..'",
      { hint: "Give a path such as data/out.json; nothing outside the service's root is served." },
    );
  }
  let current = root;
  const shown = parts.join("/");
  for (let i = 0; i <= parts.length; i++) {
    if (i > 0) current = join(current, parts[i - 1]!);
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(current);
    } catch {
      // a service that never wrote a file has an empty root
      if (parts.length === 0) return { kind: "directory", entries: [] };
      throw notFound(shown);
    }
    // a link could point anywhere: never followed
    if (stat.isSymbolicLink()) throw notFound(shown);
    if (i < parts.length && !stat.isDirectory()) throw notFound(shown);
  }
  const stat = lstatSync(current);
  if (stat.isDirectory()) {
    const entries = readdirSync(current, { withFileTypes: true })
      .map((d) => {
        const type = d.isDirectory() ? "directory" : d.isFile() ? "file" : "other";
        const size = type === "file" ? lstatSync(join(current, d.name)).size : 0;
        return { name: d.name, type, size } as const;
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { kind: "directory", entries };
  }
  if (!stat.isFile()) throw notFound(shown);
  if (stat.size > MAX_SERVED_FILE_BYTES) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `file ${JSON.stringify(shown)} is ${stat.size} bytes, over the ${MAX_SERVED_FILE_BYTES} served here`,
    );
  }
  return { kind: "file", bytes: readFileSync(current) };
}
