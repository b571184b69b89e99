/** What fires a workflow: a contract event, a block interval, a cron schedule, and so on. */
import { z } from "zod";
import { CosmosAddressSchema, EvmAddressSchema, Hash32HexSchema } from "./address.js";
import { ChainKeySchema } from "./chain-key.js";
import { bigintToJson, U32_MAX, u64Schema, uintNumberSchema } from "./integers.js";
import type { JsonObject, JsonValue } from "./json.js";
import {
  addProblem,
  checkedString,
  strictRecord,
  stringEnum,
  taggedEnum,
} from "./schema-helpers.js";
import { describeValue } from "./validation-error.js";

/** Why a cron schedule is malformed (a syntactic check: 6 or 7 fields, seconds first). */
export function cronScheduleProblem(schedule: string): string | undefined {
  const fields = schedule
    .trim()
    .split(/\s+/)
    .filter((f) => f !== "");
  if (fields.length === 6 || fields.length === 7) return undefined;
  return `${describeValue(schedule)} has ${fields.length} field${fields.length === 1 ? "" : "s"} (expected 6 or 7, seconds first, e.g. '*/5 * * * * *')`;
}

const NSID_SEGMENT_RE = /^[A-Za-z0-9-]+$/;

/** Why an atproto collection filter is malformed: an NSID, or an NSID prefix ending in `.*`. */
function collectionProblem(s: string): string | undefined {
  const segments = s.split(".");
  const ok = segments.every(
    (seg, i) => NSID_SEGMENT_RE.test(seg) || (seg === "*" && i === segments.length - 1 && i > 0),
  );
  return ok
    ? undefined
    : `${describeValue(s)} is not a collection NSID (e.g. app.bsky.feed.post or app.bsky.feed.*)`;
}

/** Atproto commit actions a trigger may filter on. */
export const ATPROTO_ACTIONS = ["create", "update", "delete"] as const;

function endNotBeforeStart(
  what: string,
  start: bigint | null | undefined,
  end: bigint | null | undefined,
  ctx: z.core.$RefinementCtx,
): void {
  if (typeof start === "bigint" && typeof end === "bigint" && end < start) {
    ctx.addIssue({
      code: "custom",
      message: `end_${what} (${end}) is before start_${what} (${start})`,
      input: end,
      path: [`end_${what}`],
      params: { expected: `end_${what} >= start_${what}` },
    });
  }
}

/** The trigger of a workflow. */
export const TriggerSchema = taggedEnum({
  evm_contract_event: strictRecord({
    address: EvmAddressSchema,
    chain: ChainKeySchema,
    event_hash: Hash32HexSchema,
  }),
  cosmos_contract_event: strictRecord({
    address: CosmosAddressSchema,
    chain: ChainKeySchema,
    event_type: checkedString(
      (s) => (s.length > 0 ? undefined : "must not be empty"),
      "an event type",
    ),
  }),
  block_interval: strictRecord({
    chain: ChainKeySchema,
    n_blocks: uintNumberSchema(1, U32_MAX),
    start_block: u64Schema(1n).nullable().optional(),
    end_block: u64Schema(1n).nullable().optional(),
  }).superRefine((t, ctx) => endNotBeforeStart("block", t.start_block, t.end_block, ctx)),
  cron: strictRecord({
    schedule: checkedString(cronScheduleProblem, "a cron schedule with 6 or 7 fields"),
    start_time: u64Schema().nullable().optional(),
    end_time: u64Schema().nullable().optional(),
  }).superRefine((t, ctx) => endNotBeforeStart("time", t.start_time, t.end_time, ctx)),
  atproto_event: strictRecord({
    collection: checkedString(collectionProblem, "a collection NSID"),
    repo_did: checkedString(
      (s) => (/^did:[a-z]+:\S+$/.test(s) ? undefined : `${describeValue(s)} is not a DID`),
      "a DID such as did:plc:...",
    )
      .nullable()
      .optional(),
    action: stringEnum(ATPROTO_ACTIONS).nullable().optional(),
  }),
  hypercore_append: strictRecord({
    feed_key: z.string().superRefine((s, ctx) => {
      if (!/^(?:[0-9a-fA-F]{2})+$/.test(s)) {
        addProblem(ctx, s, `${describeValue(s)} is not a hex feed key`, "hex characters");
      }
    }),
  }),
  manual: null,
});

/** The trigger of a workflow. */
export type Trigger = z.output<typeof TriggerSchema>;
/** Names of the trigger variants, in WIT order. */
export type TriggerType = Trigger["type"];
/** One variant of Trigger, e.g. `TriggerOf<"cron">`. */
export type TriggerOf<T extends TriggerType> = Extract<Trigger, { type: T }>;

function optionalBigint(value: bigint | null): JsonValue {
  return value === null ? null : bigintToJson(value);
}

/** JSON of a trigger, in the reference's field order; absent optional keys stay absent. */
export function triggerToJson(trigger: Trigger): JsonValue {
  switch (trigger.type) {
    case "evm_contract_event":
      return {
        evm_contract_event: {
          address: trigger.address,
          chain: trigger.chain,
          event_hash: trigger.event_hash,
        },
      };
    case "cosmos_contract_event":
      return {
        cosmos_contract_event: {
          address: trigger.address,
          chain: trigger.chain,
          event_type: trigger.event_type,
        },
      };
    case "block_interval": {
      const out: JsonObject = { chain: trigger.chain, n_blocks: trigger.n_blocks };
      if (trigger.start_block !== undefined) out.start_block = optionalBigint(trigger.start_block);
      if (trigger.end_block !== undefined) out.end_block = optionalBigint(trigger.end_block);
      return { block_interval: out };
    }
    case "cron": {
      const out: JsonObject = { schedule: trigger.schedule };
      if (trigger.start_time !== undefined) out.start_time = optionalBigint(trigger.start_time);
      if (trigger.end_time !== undefined) out.end_time = optionalBigint(trigger.end_time);
      return { cron: out };
    }
    case "atproto_event": {
      const out: JsonObject = { collection: trigger.collection };
      if (trigger.repo_did !== undefined) out.repo_did = trigger.repo_did;
      if (trigger.action !== undefined) out.action = trigger.action;
      return { atproto_event: out };
    }
    case "hypercore_append":
      return { hypercore_append: { feed_key: trigger.feed_key } };
    case "manual":
      return "manual";
  }
}
