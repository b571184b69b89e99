import { toWavsError, WavsError } from "@wavs-ts/errors";

/** Print one JSON object on stdout (the only thing `--json` mode writes there). */
export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}\n`,
  );
}

/** Report a failure: JSON on stdout in --json mode, a readable message on stderr otherwise. */
export function reportError(err: unknown, json: boolean): number {
  const e = err instanceof WavsError ? err : toWavsError(err);
  if (json) {
    printJson({ error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } });
  } else {
    process.stderr.write(`error: ${e.message}\n`);
    if (e.hint) process.stderr.write(`hint: ${e.hint}\n`);
    process.stderr.write(`code: ${e.code}\n`);
  }
  return 1;
}

/** Hex with 0x prefix. */
export function hex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString("hex")}`;
}
