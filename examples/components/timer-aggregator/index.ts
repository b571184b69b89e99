// timer-aggregator: waits 3 seconds (a timer action) before submitting to config vars
// "chain" and "service_handler".
import {
  type AggregatorAction,
  type AggregatorInput,
  hexToBytes,
  type TxResult,
} from "@wavs-ts/sdk";
import { configVar, log } from "host";

export function processInput(_input: AggregatorInput): AggregatorAction[] {
  return [{ tag: "timer", val: { delay: { secs: 3n } } }];
}

export function handleTimerCallback(_input: AggregatorInput): AggregatorAction[] {
  const chain = configVar("chain");
  const handler = configVar("service_handler");
  if (!chain || !handler) throw new Error('config vars "chain" and "service_handler" must be set');
  return [
    {
      tag: "submit",
      val: {
        tag: "evm",
        val: { chain, address: { rawBytes: hexToBytes(handler) }, gasPrice: undefined },
      },
    },
  ];
}

export function handleSubmitCallback(_input: AggregatorInput, txResult: TxResult): void {
  if (txResult.tag === "err") log({ tag: "warn" }, `submission failed: ${txResult.val}`);
}
