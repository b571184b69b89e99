// square: `{"x": n}` -> `{"y": n*n}`. Raw input is answered with JSON bytes; a NewTrigger event of
// the example trigger contract is answered with abi.encode(DataWithId{triggerId, data}) so the
// example submit handler can store it. The Cosmos example trigger contract's `new-message`
// event (attributes `id`, and `data` as hex) is answered the same way, so one handler serves
// both chain families.
import {
  bytesPayload,
  decodeNewTriggerEvent,
  encodeDataWithId,
  fromUtf8,
  hexToBytes,
  type TriggerAction,
  utf8,
  type WasmResponse,
} from "@wavs-ts/sdk";
import { log } from "host";

function square(input: Uint8Array): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(input));
  } catch {
    throw new Error(`input is not JSON: expected {"x": <number>}`);
  }
  const x = (parsed as { x?: unknown } | null)?.x;
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new Error(`expected {"x": <number>}, got ${fromUtf8(input).slice(0, 100)}`);
  }
  // Integers square exactly as bigint, so large inputs do not lose precision.
  if (Number.isSafeInteger(x)) return `{"y":${(BigInt(x) * BigInt(x)).toString()}}`;
  return JSON.stringify({ y: x * x });
}

export function run(action: TriggerAction): WasmResponse[] {
  const d = action.data;
  switch (d.tag) {
    case "raw":
      return [bytesPayload(utf8(square(d.val)))];
    case "evm-contract-event": {
      const info = decodeNewTriggerEvent(d.val.log.data.data);
      log({ tag: "info" }, `square: trigger ${info.triggerId} from ${info.creator}`);
      const answer = utf8(square(info.data));
      return [bytesPayload(encodeDataWithId({ triggerId: info.triggerId, data: answer }))];
    }
    case "cosmos-contract-event": {
      const { ty, attributes } = d.val.event;
      const attribute = (key: string) => attributes.find(([k]) => k === key)?.[1];
      const id = attribute("id");
      const data = attribute("data");
      if (id === undefined || !/^\d+$/.test(id) || data === undefined) {
        throw new Error(`square: expected a ${ty} event with a numeric "id" and a hex "data"`);
      }
      log({ tag: "info" }, `square: Cosmos message ${id} from ${d.val.contractAddress.bech32Addr}`);
      const answer = utf8(square(hexToBytes(data)));
      return [bytesPayload(encodeDataWithId({ triggerId: BigInt(id), data: answer }))];
    }
    default:
      throw new Error(`square does not handle ${d.tag} triggers`);
  }
}
