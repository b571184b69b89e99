/** Byte-string fields of trigger data JSON: `0x`-hex strings or arrays of numbers 0-255. */
import { z } from "zod";
import { hexToBytes, isHexBytes } from "./hex.js";
import { addProblem } from "./schema-helpers.js";
import { describeValue, expectedFound } from "./validation-error.js";

function isByte(b: unknown): b is number {
  return typeof b === "number" && Number.isInteger(b) && b >= 0 && b <= 255;
}

/** Bytes written as `0x`-hex or as an array of numbers, optionally of an exact length. */
export function bytesSchema(length?: number) {
  const expected = `${length === undefined ? "bytes" : `${length} bytes`} as a 0x-hex string or an array of numbers 0-255`;
  return z.unknown().transform((input, ctx) => {
    let bytes: Uint8Array | undefined;
    if (typeof input === "string" && isHexBytes(input, { prefix: "required" })) {
      bytes = hexToBytes(input);
    } else if (Array.isArray(input)) {
      const bad = input.findIndex((b) => !isByte(b));
      if (bad >= 0) {
        ctx.addIssue({
          code: "custom",
          message: `expected a byte (an integer 0-255), found ${describeValue(input[bad])}`,
          input: input[bad],
          path: [bad],
          params: { expected: "an integer 0-255" },
        });
        return z.NEVER;
      }
      bytes = Uint8Array.from(input as number[]);
    }
    if (bytes === undefined) {
      addProblem(ctx, input, expectedFound(input, expected), expected);
      return z.NEVER;
    }
    if (length !== undefined && bytes.length !== length) {
      addProblem(ctx, input, `expected ${length} bytes, found ${bytes.length}`, `${length} bytes`);
      return z.NEVER;
    }
    return bytes;
  });
}
