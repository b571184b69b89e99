// echo: answers the bytes it was given. Raw input comes back unchanged; for an EVM trigger the
// answer is the log's data.
import { bytesPayload, type TriggerAction, triggerBytes, type WasmResponse } from "@wavs-ts/sdk";

export function run(action: TriggerAction): WasmResponse[] {
  const bytes = triggerBytes(action);
  if (bytes === undefined)
    throw new Error(`echo has nothing to echo for a ${action.data.tag} trigger`);
  return [bytesPayload(bytes)];
}
