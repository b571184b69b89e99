// aggregator-simple: submits every operator result at once to the service handler named by the
// config vars "chain" and "service_handler": an EVM chain (e.g. evm:31337) with a 0x address,
// or a Cosmos chain (e.g. cosmos:wasmd-1) with a bech32 address.
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
  if (chain.startsWith("cosmos:")) {
    // bech32: the human-readable prefix ends at the last "1"
    const prefixLen = handler.lastIndexOf("1");
    if (prefixLen < 1) throw new Error(`service_handler ${handler} is not a bech32 address`);
    return [
      {
        tag: "submit",
        val: {
          tag: "cosmos",
          val: { chain, address: { bech32Addr: handler, prefixLen }, gasPrice: undefined },
        },
      },
    ];
  }
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
  else if (txResult.val.tag === "cosmos") log({ tag: "info" }, `landed in ${txResult.val.val}`);
}
