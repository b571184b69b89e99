import { readFileSync } from "node:fs";
import { WavsError } from "../internal/index.js";

/** Read an `@file` argument, or return the text as given. */
export function readArgText(value: string, flag: string): string {
  if (!value.startsWith("@")) return value;
  const path = value.slice(1);
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `${flag}: cannot read ${path}`, {
      hint: "check the path after @",
      cause: err,
    });
  }
}

/** `--input`: text, 0x-hex, or @file (raw bytes of the file). */
export function parseInputBytes(value: string): Uint8Array {
  if (value.startsWith("@")) {
    try {
      return new Uint8Array(readFileSync(value.slice(1)));
    } catch (err) {
      throw new WavsError("WAVS_ERR_INPUT_INVALID", `--input: cannot read ${value.slice(1)}`, {
        cause: err,
      });
    }
  }
  if (/^0x([0-9a-fA-F]{2})*$/.test(value))
    return new Uint8Array(Buffer.from(value.slice(2), "hex"));
  if (value.startsWith("0x")) {
    // text that merely starts with 0x is far more likely a typo in hex than meant as text
    const digits = value.slice(2);
    const why = /^[0-9a-fA-F]*$/.test(digits)
      ? `has an odd number of hex digits (${digits.length})`
      : `has a character that is not a hex digit (${JSON.stringify(digits.match(/[^0-9a-fA-F]/)?.[0])})`;
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `--input: starts with 0x but ${why}`, {
      hint: "pass hex as 0x followed by pairs of hex digits, text without the 0x prefix, or @file",
    });
  }
  return new TextEncoder().encode(value);
}

/** Parse JSON text from a flag, with an error naming the flag. */
export function parseJsonArg(value: string, flag: string): unknown {
  const text = readArgText(value, flag);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `${flag}: not valid JSON (${(err as Error).message})`,
      {
        hint: `pass JSON inline or as @file`,
      },
    );
  }
}

/** `--config k=v` values into a map. */
export function parseConfigPairs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      throw new WavsError("WAVS_ERR_INPUT_INVALID", `--config ${pair}: expected key=value`, {
        hint: "repeat --config for each entry, e.g. --config url=https://example.com",
      });
    }
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
