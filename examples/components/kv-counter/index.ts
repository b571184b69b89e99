// kv-counter: counts its executions in wasi:keyvalue. Bucket "counter", counter key "count"
// (atomics.increment), and the raw input stored under "last" with set/get. Answers the count.

import { increment } from "wasi:keyvalue/atomics@0.2.0-draft2";
import { open } from "wasi:keyvalue/store@0.2.0-draft2";
import {
  fromUtf8,
  type TriggerAction,
  textPayload,
  triggerBytes,
  utf8,
  type WasmResponse,
} from "@wavs-ts/sdk";

export function run(action: TriggerAction): WasmResponse[] {
  const bucket = open("counter");
  const count = increment(bucket, "count", 1n);
  const previous = bucket.get("last");
  bucket.set("last", triggerBytes(action) ?? utf8(""));
  const stored = bucket.get("last");
  if (stored === undefined) throw new Error("value written under 'last' could not be read back");
  // The count alone is the payload; the previous input goes to the log for debugging.
  if (previous !== undefined) console.log(`kv-counter: previous input ${fromUtf8(previous)}`);
  return [textPayload(count.toString())];
}
