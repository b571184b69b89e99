/** Chain keys (`namespace:id`, e.g. `evm:31337`, `cosmos:wasmd-1`). */
import { WavsError } from "../internal/index.js";
import { checkedString } from "./schema-helpers.js";
import { describeValue } from "./validation-error.js";

/** A chain key such as `evm:31337`; validated by `ChainKeySchema` / `parseChainKey`. */
export type ChainKey = string;

/** The two parts of a chain key. */
export interface ParsedChainKey {
  namespace: string;
  id: string;
}

/** Namespace part of a chain key. */
export const CHAIN_NAMESPACE_RE = /^[-a-z0-9]{1,32}$/;
/** Id part of a chain key. */
export const CHAIN_ID_RE = /^[-_a-zA-Z0-9]{1,32}$/;

/** Why `key` is not a chain key, or undefined when it is one. */
export function chainKeyProblem(key: string): string | undefined {
  const colon = key.indexOf(":");
  if (colon < 0)
    return `${describeValue(key)} is not a chain key (expected namespace:id, e.g. evm:31337)`;
  const namespace = key.slice(0, colon);
  const id = key.slice(colon + 1);
  if (!CHAIN_NAMESPACE_RE.test(namespace)) {
    return `chain key ${describeValue(key)}: namespace ${describeValue(namespace)} must be 1 to 32 characters of a-z, 0-9 and -`;
  }
  if (!CHAIN_ID_RE.test(id)) {
    return `chain key ${describeValue(key)}: id ${describeValue(id)} must be 1 to 32 characters of a-z, A-Z, 0-9, _ and -`;
  }
  return undefined;
}

/** Whether `value` is a well-formed chain key. */
export function isChainKey(value: unknown): value is ChainKey {
  return typeof value === "string" && chainKeyProblem(value) === undefined;
}

/** Split a chain key into namespace and id; throws WAVS_ERR_INPUT_INVALID when malformed. */
export function parseChainKey(key: string): ParsedChainKey {
  const problem = chainKeyProblem(key);
  if (problem !== undefined) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", problem, {
      details: { found: key, expected: "namespace:id" },
      hint: "Write the chain as namespace:id, for example evm:31337 or cosmos:wasmd-1.",
    });
  }
  const colon = key.indexOf(":");
  return { namespace: key.slice(0, colon), id: key.slice(colon + 1) };
}

/** Schema of a chain key string. */
export const ChainKeySchema = checkedString(chainKeyProblem, "namespace:id, e.g. evm:31337");

/** Whether a chain key names a Cosmos chain (`cosmos:<chain id>`). */
export function isCosmosChain(key: string): boolean {
  return key.startsWith("cosmos:");
}
