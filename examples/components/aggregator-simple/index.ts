// aggregator-simple: submits every operator result at once to the service handler named by the
// config vars "chain" (e.g. evm:31337) and "service_handler" (0x address).
import {
  type AggregatorAction,
  type AggregatorInput,
  hexToBytes,
  type TxResult,
} from "@wavs-ts/sdk";
import { configVar, log } from "host";

function submit(): AggregatorAction[] {
  const chain = configVar("chain");
  const handler = configVar("service_handler");
  if (!chain) throw new Error('config var "chain" is not set');
  if (!handler) throw new Error('config var "service_handler" is not set');
  const rawBytes = hexToBytes(handler);
  if (rawBytes.length !== 20)
    throw new Error(`service_handler ${handler} is not a 20-byte address`);
  return [
    {
      tag: "submit",
      val: { tag: "evm", val: { chain, address: { rawBytes }, gasPrice: undefined } },
    },
  ];
}

export function processInput(_input: AggregatorInput): AggregatorAction[] {
  return submit();
}

export function handleTimerCallback(_input: AggregatorInput): AggregatorAction[] {
  return submit();
}

export function handleSubmitCallback(_input: AggregatorInput, txResult: TxResult): void {
  if (txResult.tag === "err") log({ tag: "warn" }, `submission failed: ${txResult.val}`);
}
