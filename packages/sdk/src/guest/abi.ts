// A tiny hand-written Solidity ABI codec: just what the example trigger contract and submit
// handler need, so components do not have to bundle a full EVM library.
import { bytesToHex, concatBytes } from "./bytes.js";

const WORD = 32;
const UINT64_MAX = (1n << 64n) - 1n;

/** `TriggerInfo { uint64 triggerId; address creator; bytes data }` from the example trigger contract. */
export interface TriggerInfo {
  triggerId: bigint;
  /** 0x-prefixed lowercase hex address. */
  creator: string;
  data: Uint8Array;
}

/** `DataWithId { uint64 triggerId; bytes data }`, what the example submit handler decodes. */
export interface DataWithId {
  triggerId: bigint;
  data: Uint8Array;
}

/** Encode an unsigned integer as one 32-byte big-endian ABI word. */
export function encodeUint(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  if (v < 0n || v >= 1n << 256n) throw new Error(`uint256 out of range: ${v}`);
  const out = new Uint8Array(WORD);
  for (let i = WORD - 1; i >= 0 && v > 0n; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Read the 32-byte big-endian word at `offset` as an unsigned integer. */
export function readUint(buf: Uint8Array, offset: number): bigint {
  if (offset < 0 || offset + WORD > buf.length) {
    throw new Error(`ABI data too short: need a word at ${offset}, have ${buf.length} bytes`);
  }
  let v = 0n;
  for (let i = 0; i < WORD; i++) v = (v << 8n) | BigInt(buf[offset + i]!);
  return v;
}

function readOffset(buf: Uint8Array, at: number, base: number): number {
  const off = readUint(buf, at);
  if (off > BigInt(buf.length)) throw new Error(`ABI offset ${off} beyond ${buf.length} bytes`);
  return base + Number(off);
}

function readUint64(buf: Uint8Array, at: number, what: string): bigint {
  const v = readUint(buf, at);
  if (v > UINT64_MAX) throw new Error(`${what} does not fit in uint64`);
  return v;
}

/** Read a dynamic `bytes` value whose length word is at `at`. */
function readBytesAt(buf: Uint8Array, at: number): Uint8Array {
  const len = readUint(buf, at);
  const start = at + WORD;
  if (len > BigInt(buf.length - start)) {
    throw new Error(`ABI bytes length ${len} exceeds the ${buf.length - start} bytes available`);
  }
  return buf.slice(start, start + Number(len));
}

/** The tail encoding of `bytes`: length word, then the data right-padded to a whole word. */
export function encodeBytesTail(data: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(data.length / WORD) * WORD);
  padded.set(data);
  return concatBytes(encodeUint(data.length), padded);
}

/** `abi.encode(bytes)`: offset word (0x20), length word, padded data. */
export function abiEncodeBytes(data: Uint8Array): Uint8Array {
  return concatBytes(encodeUint(WORD), encodeBytesTail(data));
}

/** Inverse of {@link abiEncodeBytes}, e.g. the data of an event `E(bytes)`. */
export function abiDecodeBytes(encoded: Uint8Array): Uint8Array {
  return readBytesAt(encoded, readOffset(encoded, 0, 0));
}

/**
 * Decode `abi.encode(TriggerInfo)`. Accepts both the form Solidity's `abi.encode(struct)` gives
 * (a leading 0x20 offset to the tuple) and the bare parameter form.
 */
export function decodeTriggerInfo(encoded: Uint8Array): TriggerInfo {
  // In the offset form word 3 is the data offset inside the tuple (0x60); in the bare form
  // word 2 is, so word 0 = 0x20 together with word 3 = 0x60 identifies the offset form.
  const wrapped =
    encoded.length >= 4 * WORD &&
    readUint(encoded, 0) === 32n &&
    readUint(encoded, 3 * WORD) === 96n;
  const base = wrapped ? WORD : 0;
  const triggerId = readUint64(encoded, base, "triggerId");
  const creatorWord = readUint(encoded, base + WORD);
  if (creatorWord >> 160n !== 0n) throw new Error("creator is not a valid address");
  const creator = bytesToHex(encoded.slice(base + WORD + 12, base + 2 * WORD));
  const data = readBytesAt(encoded, readOffset(encoded, base + 2 * WORD, base));
  return { triggerId, creator, data };
}

/** Decode the log data of the example trigger contract's `NewTrigger(bytes)` event. */
export function decodeNewTriggerEvent(logData: Uint8Array): TriggerInfo {
  return decodeTriggerInfo(abiDecodeBytes(logData));
}

/** `abi.encode(DataWithId{triggerId, data})`, with the leading tuple offset as Solidity emits it. */
export function encodeDataWithId(value: DataWithId): Uint8Array {
  if (value.triggerId < 0n || value.triggerId > UINT64_MAX) {
    throw new Error(`triggerId ${value.triggerId} does not fit in uint64`);
  }
  return concatBytes(
    encodeUint(WORD),
    encodeUint(value.triggerId),
    encodeUint(2 * WORD),
    encodeBytesTail(value.data),
  );
}

/** Inverse of {@link encodeDataWithId} (handy in tests and aggregators). */
export function decodeDataWithId(encoded: Uint8Array): DataWithId {
  const base = readOffset(encoded, 0, 0);
  const triggerId = readUint64(encoded, base, "triggerId");
  const data = readBytesAt(encoded, readOffset(encoded, base + WORD, base));
  return { triggerId, data };
}
