/**
 * Trigger data: what a trigger saw (a log, a block height, a cron tick, raw bytes). Read from
 * JSON by `wavs exec --simulates-trigger`, POST /dev/triggers and every record: WAVS's own form
 * (PascalCase variants with its field names, e.g. `{"Raw": [104, 105]}` or an
 * `EvmContractEvent` with `contract_address`, `log_data`, `tx_hash`... at its top level), and
 * our earlier snake_case form (`{"raw": "0x6869"}`, `evm_contract_event` with a nested `log`).
 * Written back in WAVS's form (`triggerDataToJson`), so what we print a WAVS tool reads.
 */
import { z } from "zod";
import { checksumAddress } from "./address.js";
import { tryDecodeBech32 } from "./bech32.js";
import { bytesSchema } from "./bytes-field.js";
import { ChainKeySchema } from "./chain-key.js";
import { bytesToHex } from "./hex.js";
import { bigintToJson, s64Schema, U32_MAX, u64Schema, uintNumberSchema } from "./integers.js";
import { isJsonObject, type JsonObject, type JsonValue } from "./json.js";
import { addProblem, strictRecord, stringEnum, taggedEnum } from "./schema-helpers.js";
import { describeValue, expectedFound, parseOrThrow } from "./validation-error.js";

/**
 * Read `null` and an absent key alike as an absent value: trigger data is not written back
 * verbatim. A preprocess (not a transform) keeps the key optional in the output type.
 */
function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

/** A Cosmos address as the WIT `cosmos-address` record wants it. */
export interface CosmosAddressValue {
  bech32_addr: string;
  /** Length of the human-readable prefix (`cosmos` -> 6). */
  prefix_len: number;
}

/** A bech32 string, or `{bech32_addr, prefix_len}` whose prefix_len must match the address. */
export const CosmosAddressValueSchema = z.unknown().transform((input, ctx): CosmosAddressValue => {
  const expected = 'a bech32 address or {"bech32_addr": ..., "prefix_len": n}';
  const addr = isJsonObject(input) ? input.bech32_addr : input;
  if (typeof addr !== "string") {
    addProblem(ctx, input, `expected ${expected}, found ${describeValue(input)}`, expected);
    return z.NEVER;
  }
  const decoded = tryDecodeBech32(addr);
  if (typeof decoded === "string") {
    addProblem(
      ctx,
      input,
      `${describeValue(addr)} is not a bech32 address: it ${decoded}`,
      expected,
    );
    return z.NEVER;
  }
  if (isJsonObject(input)) {
    const extra = Object.keys(input).filter((k) => k !== "bech32_addr" && k !== "prefix_len");
    if (extra.length > 0 || input.prefix_len !== decoded.prefix.length) {
      const why =
        extra.length > 0
          ? `unknown field '${extra[0]}' (expected bech32_addr, prefix_len)`
          : `prefix_len ${describeValue(input.prefix_len)} does not match the address prefix '${decoded.prefix}' (${decoded.prefix.length})`;
      addProblem(ctx, input, why, expected);
      return z.NEVER;
    }
  }
  return { bech32_addr: addr, prefix_len: decoded.prefix.length };
});

/** A `key`/`value` attribute: `{"key": k, "value": v}` (cosmwasm) or `[k, v]`. */
const CosmosAttributeSchema = z.unknown().transform((input, ctx): [string, string] => {
  if (
    Array.isArray(input) &&
    input.length === 2 &&
    typeof input[0] === "string" &&
    typeof input[1] === "string"
  ) {
    return [input[0], input[1]];
  }
  if (
    isJsonObject(input) &&
    Object.keys(input).length === 2 &&
    typeof input.key === "string" &&
    typeof input.value === "string"
  ) {
    return [input.key, input.value];
  }
  const expected = '{"key": "...", "value": "..."} or ["key", "value"]';
  addProblem(ctx, input, `expected ${expected}, found ${describeValue(input)}`, expected);
  return z.NEVER;
});

/** A Cosmos event: `{"type" (or "ty"): ..., "attributes": [...]}`. */
const CosmosEventSchema = strictRecord({
  type: z.string().optional(),
  ty: z.string().optional(),
  attributes: z.array(CosmosAttributeSchema),
}).transform((event, ctx) => {
  const ty = event.ty ?? event.type;
  if (ty === undefined || (event.ty !== undefined && event.type !== undefined)) {
    addProblem(ctx, event, "expected exactly one of 'type' or 'ty'", "type");
    return z.NEVER;
  }
  return { ty, attributes: event.attributes };
});

/** Where a log is: the fields WAVS's form and ours share. */
const LOG_POSITION = {
  tx_hash: bytesSchema(32),
  block_number: u64Schema(),
  log_index: u64Schema(),
  block_hash: bytesSchema(32),
  block_timestamp: optional(u64Schema()),
  tx_index: u64Schema(),
};

/** A log's topics and data. */
const LogDataSchema = strictRecord({ topics: z.array(bytesSchema(32)), data: bytesSchema() });

const EvmEventLogSchema = strictRecord({
  address: bytesSchema(20),
  data: LogDataSchema,
  ...LOG_POSITION,
});

/** WAVS's `EvmContractEvent`: the log's fields at the top level, its topics and data in `log_data`. */
const EvmContractEventFlatSchema = strictRecord({
  chain: ChainKeySchema,
  contract_address: bytesSchema(20),
  log_data: LogDataSchema,
  ...LOG_POSITION,
}).transform(({ chain, contract_address, log_data, ...rest }) => ({
  chain,
  log: { address: contract_address, data: log_data, ...rest },
}));

const EvmContractEventNestedSchema = strictRecord({
  chain: ChainKeySchema,
  log: EvmEventLogSchema,
});

/** An EVM contract event in WAVS's flat form, or ours with a nested `log`. */
const EvmContractEventSchema = z.unknown().transform((input, ctx) => {
  const schema =
    isJsonObject(input) && Object.hasOwn(input, "log")
      ? EvmContractEventNestedSchema
      : EvmContractEventFlatSchema;
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
  return z.NEVER;
});

/** `trigger_time`: nanoseconds as a number or string, or `{"nanos": n}`. */
const NanosSchema = z.unknown().transform((input, ctx): bigint => {
  const inner = isJsonObject(input) && Object.keys(input).length === 1 ? input.nanos : input;
  const parsed = u64Schema().safeParse(inner, { reportInput: true });
  if (parsed.success) return parsed.data;
  const expected = 'nanoseconds since the epoch (a number, a decimal string or {"nanos": n})';
  addProblem(ctx, input, expectedFound(input, expected), expected);
  return z.NEVER;
});

/** Atproto commit actions. */
const ATPROTO_DATA_ACTIONS = ["create", "update", "delete"] as const;

/** Fields of `atproto_event` trigger data (the WIT `trigger-data-atproto-event` record). */
export interface AtProtoEventData {
  sequence: bigint;
  timestamp: bigint;
  repo: string;
  collection: string;
  rkey: string;
  action: string;
  cid?: string | undefined;
  /** The record as JSON text (the reference's `record` JSON value, serialised). */
  record_data?: string | undefined;
  rev?: string | undefined;
  op_index?: number | undefined;
}

const AtProtoEventSchema = strictRecord({
  sequence: s64Schema(),
  timestamp: s64Schema(),
  repo: z.string(),
  collection: z.string(),
  rkey: z.string(),
  action: stringEnum(ATPROTO_DATA_ACTIONS),
  cid: optional(z.string()),
  // The reference carries the record as a JSON value (`record`); WIT carries it as a string.
  record: z.unknown().optional(),
  record_data: optional(z.string()),
  rev: optional(z.string()),
  op_index: optional(uintNumberSchema(0, U32_MAX)),
}).transform(({ record, record_data, ...rest }, ctx): AtProtoEventData => {
  if (record != null && record_data !== undefined) {
    addProblem(ctx, record, "give either 'record' (JSON) or 'record_data' (string), not both");
    return z.NEVER;
  }
  const data = record_data ?? (record == null ? undefined : JSON.stringify(record));
  return {
    sequence: rest.sequence,
    timestamp: rest.timestamp,
    repo: rest.repo,
    collection: rest.collection,
    rkey: rest.rkey,
    action: rest.action,
    cid: rest.cid,
    record_data: data,
    rev: rest.rev,
    op_index: rest.op_index,
  };
});

const PASCAL_ALIASES = {
  EvmContractEvent: "evm_contract_event",
  CosmosContractEvent: "cosmos_contract_event",
  BlockInterval: "block_interval",
  Cron: "cron",
  AtProtoEvent: "atproto_event",
  HypercoreAppend: "hypercore_append",
  Raw: "raw",
  // serde's snake_case of AtProtoEvent; accepted so either spelling works.
  at_proto_event: "atproto_event",
} as const;

/** Trigger data in any accepted JSON form, parsed to the model (bytes as Uint8Array, u64 as bigint). */
export const TriggerDataSchema = taggedEnum(
  {
    evm_contract_event: EvmContractEventSchema,
    cosmos_contract_event: strictRecord({
      contract_address: CosmosAddressValueSchema,
      chain: ChainKeySchema,
      event: CosmosEventSchema,
      event_index: u64Schema(),
      block_height: u64Schema(),
    }),
    block_interval: strictRecord({ chain: ChainKeySchema, block_height: u64Schema() }),
    cron: strictRecord({ trigger_time: NanosSchema }),
    atproto_event: AtProtoEventSchema,
    hypercore_append: strictRecord({
      feed_key: z.string(),
      index: u64Schema(),
      data: bytesSchema(),
    }),
    raw: bytesSchema().transform((data) => ({ data })),
  },
  {
    aliases: PASCAL_ALIASES,
    note: "(PascalCase names such as EvmContractEvent are accepted too)",
  },
);

/** What a trigger saw, handed to the component. */
export type TriggerData = z.output<typeof TriggerDataSchema>;
/** Names of the trigger data variants. */
export type TriggerDataType = TriggerData["type"];
/** One variant of TriggerData, e.g. `TriggerDataOf<"cron">`. */
export type TriggerDataOf<T extends TriggerDataType> = Extract<TriggerData, { type: T }>;

/** Parse trigger data JSON (PascalCase or snake_case forms); throws WAVS_ERR_TRIGGER_DATA_INVALID. */
export function parseTriggerDataJson(json: unknown): TriggerData {
  return parseOrThrow(TriggerDataSchema, json, "WAVS_ERR_TRIGGER_DATA_INVALID", {
    subject: "trigger data",
    hint: 'Write trigger data as e.g. {"raw": "0x6869"}, {"cron": {"trigger_time": 123}} or {"block_interval": {"chain": "evm:31337", "block_height": 10}}.',
  });
}

function optionalToJson<T>(value: T | undefined, map: (v: T) => JsonValue): JsonValue {
  return value === undefined ? null : map(value);
}

/** The record of an atproto event as WAVS writes it: JSON, or our text when it is not JSON. */
function atprotoRecord(data: string | undefined): { record: JsonValue } | { record_data: string } {
  if (data === undefined) return { record: null };
  try {
    return { record: JSON.parse(data) as JsonValue };
  } catch {
    return { record_data: data };
  }
}

/**
 * JSON of trigger data in WAVS's form (`TriggerData` of its types: PascalCase variants, field
 * names and order as WAVS writes them); u64 as numbers (decimal strings past 2^53). Parsing it
 * back gives the same trigger data, so the same event id.
 */
export function triggerDataToJson(data: TriggerData): JsonObject {
  switch (data.type) {
    case "evm_contract_event": {
      const log = data.log;
      return {
        EvmContractEvent: {
          chain: data.chain,
          // checksummed, as WAVS writes an address
          contract_address: checksumAddress(log.address),
          log_data: {
            topics: log.data.topics.map((t) => bytesToHex(t)),
            data: bytesToHex(log.data.data),
          },
          tx_hash: bytesToHex(log.tx_hash),
          block_number: bigintToJson(log.block_number),
          log_index: bigintToJson(log.log_index),
          block_hash: bytesToHex(log.block_hash),
          block_timestamp: optionalToJson(log.block_timestamp, bigintToJson),
          tx_index: bigintToJson(log.tx_index),
        },
      };
    }
    case "cosmos_contract_event":
      return {
        CosmosContractEvent: {
          contract_address: data.contract_address.bech32_addr,
          chain: data.chain,
          event: {
            type: data.event.ty,
            attributes: data.event.attributes.map(([key, value]) => ({ key, value })),
          },
          block_height: bigintToJson(data.block_height),
          event_index: bigintToJson(data.event_index),
        },
      };
    case "block_interval":
      return {
        BlockInterval: { chain: data.chain, block_height: bigintToJson(data.block_height) },
      };
    case "cron":
      return { Cron: { trigger_time: bigintToJson(data.trigger_time) } };
    case "atproto_event":
      return {
        AtProtoEvent: {
          sequence: bigintToJson(data.sequence),
          timestamp: bigintToJson(data.timestamp),
          repo: data.repo,
          collection: data.collection,
          rkey: data.rkey,
          action: data.action,
          cid: optionalToJson(data.cid, (v) => v),
          ...atprotoRecord(data.record_data),
          rev: optionalToJson(data.rev, (v) => v),
          op_index: optionalToJson(data.op_index, (v) => v),
        },
      };
    case "hypercore_append":
      return {
        HypercoreAppend: {
          feed_key: data.feed_key,
          index: bigintToJson(data.index),
          data: [...data.data],
        },
      };
    case "raw":
      return { Raw: [...data.data] };
  }
}
