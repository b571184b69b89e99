// echo: answers the bytes it was given. Raw input comes back unchanged. A NewTrigger event of the
// example trigger contract is answered with abi.encode(DataWithId{triggerId, data}) carrying the
// trigger's own data, so the example submit handler stores the input as the result; any other
// EVM event is answered with its log data.
import {
  bytesPayload,
  decodeNewTriggerEvent,
  encodeDataWithId,
  type TriggerAction,
  triggerBytes,
  type WasmResponse,
} from "@wavs-ts/sdk";

// keccak256("NewTrigger(bytes)"), the example trigger contract's event
const NEW_TRIGGER_TOPIC = "86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68";

function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

export function run(action: TriggerAction): WasmResponse[] {
  const d = action.data;
  if (d.tag === "evm-contract-event") {
    const topic = d.val.log.data.topics[0];
    if (topic !== undefined && hex(topic) === NEW_TRIGGER_TOPIC) {
      const info = decodeNewTriggerEvent(d.val.log.data.data);
      return [bytesPayload(encodeDataWithId({ triggerId: info.triggerId, data: info.data }))];
    }
  }
  const bytes = triggerBytes(action);
  if (bytes === undefined)
    throw new Error(`echo has nothing to echo for a ${action.data.tag} trigger`);
  return [bytesPayload(bytes)];
}
