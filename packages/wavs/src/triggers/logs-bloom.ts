/**
 * A block header's logs bloom (2048 bits; each log's address and topics set three bits each,
 * from the first six bytes of their keccak256): a block whose bloom lacks every watched
 * address, or every watched event topic, holds no log the watcher asks for, and its
 * `eth_getLogs` can be skipped. A bloom never misses what a block holds; it may claim what it
 * does not (then the logs are fetched as before).
 */
import { hexToBytes, keccak256 } from "viem";

/** The bloom bits of a set of items, computed once per filter. */
export interface BloomItems {
  /** Bit indices (three per address) by lowercase address; undefined: any address. */
  addresses: Map<string, number[]> | undefined;
  /** Bit indices (three per topic) by lowercase topic; undefined: any topic. */
  topics: Map<string, number[]> | undefined;
}

/** The three bloom bits of one item (0x hex bytes). */
function bitsOf(item: string): number[] {
  const hash = hexToBytes(keccak256(item as `0x${string}`));
  return [0, 2, 4].map((i) => ((hash[i]! << 8) | hash[i + 1]!) & 2047);
}

/** The bits of a log filter's addresses and topic0s (`undefined` lists mean any). */
export function bloomItems(filter: {
  addresses?: readonly string[] | undefined;
  topic0s?: readonly string[] | undefined;
}): BloomItems {
  const bits = (items: readonly string[] | undefined) =>
    items && new Map(items.map((item) => [item.toLowerCase(), bitsOf(item)]));
  return { addresses: bits(filter.addresses), topics: bits(filter.topic0s) };
}

/** Whether bit `bit` is set in a bloom given as 0x + 512 hex characters (big-endian bits). */
function bitSet(bloom: string, bit: number): boolean {
  const at = 2 + 2 * (255 - (bit >> 3));
  return (Number.parseInt(bloom.slice(at, at + 2), 16) & (1 << (bit & 7))) !== 0;
}

const holds = (bloom: string, bits: readonly number[]) => bits.every((b) => bitSet(bloom, b));

const wellFormed = (bloom: string) => /^0x[0-9a-fA-F]{512}$/.test(bloom);

/**
 * Whether a block with this logs bloom may hold a log of one of the addresses with one of the
 * topic0s; true when the bloom is malformed (nothing is skipped on doubt).
 */
export function bloomMayMatch(bloom: string, items: BloomItems): boolean {
  if (!wellFormed(bloom)) return true;
  const some = (bits: Map<string, number[]> | undefined) => {
    if (bits === undefined) return true;
    for (const b of bits.values()) if (holds(bloom, b)) return true;
    return false;
  };
  return some(items.addresses) && some(items.topics);
}

/**
 * Whether a bloom holds a log's address and topic0 (the bits of a filter that matched the log,
 * computed again only for an item the filter does not list); true when it is malformed.
 */
export function bloomHoldsLog(
  bloom: string,
  items: BloomItems,
  log: { address: string; topic0: string | undefined },
): boolean {
  if (!wellFormed(bloom)) return true;
  const bits = (known: Map<string, number[]> | undefined, item: string) =>
    known?.get(item.toLowerCase()) ?? bitsOf(item);
  return (
    holds(bloom, bits(items.addresses, log.address)) &&
    (log.topic0 === undefined || holds(bloom, bits(items.topics, log.topic0)))
  );
}
