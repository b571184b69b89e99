/** Component digests: sha256 of the wasm bytes as 64 lowercase hex characters. */
import { createHash } from "node:crypto";
import { checkedString } from "./schema-helpers.js";
import { describeValue } from "./validation-error.js";

/** A sha256 digest as 64 lowercase hex characters, no `0x`. */
export type Digest = string;

const DIGEST_RE = /^[0-9a-f]{64}$/;

/** sha256 of a component's wasm bytes, as 64 lowercase hex characters. */
export function componentDigest(bytes: Uint8Array): Digest {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Whether `value` is 64 lowercase hex characters. */
export function isDigest(value: unknown): value is Digest {
  return typeof value === "string" && DIGEST_RE.test(value);
}

/** Why `s` is not a digest, or undefined when it is one. */
export function digestProblem(s: string): string | undefined {
  if (DIGEST_RE.test(s)) return undefined;
  if (/^[0-9a-fA-F]{64}$/.test(s)) return `${describeValue(s)} must be lowercase hex`;
  if (/^0x[0-9a-fA-F]{64}$/i.test(s)) return `${describeValue(s)} must not start with 0x`;
  return `${describeValue(s)} is not a sha256 digest (expected 64 lowercase hex characters)`;
}

/** Schema of a component digest. */
export const DigestSchema = checkedString(digestProblem, "64 lowercase hex characters");
