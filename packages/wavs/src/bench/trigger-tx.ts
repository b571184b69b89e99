import { simpleTriggerAbi } from "@wavs-ts/contracts";
import { type Address, encodeFunctionData, type Hex, type LocalAccount, toHex } from "viem";

/** A signed legacy `addTrigger({"x":x})` transaction to a SimpleTrigger, ready to broadcast. */
export function signAddTrigger(
  account: LocalAccount,
  tx: { chainId: number; nonce: number; trigger: Address; x: number; gasPrice: bigint },
): Promise<Hex> {
  return account.signTransaction({
    chainId: tx.chainId,
    nonce: tx.nonce,
    to: tx.trigger,
    data: encodeFunctionData({
      abi: simpleTriggerAbi,
      functionName: "addTrigger",
      args: [toHex(JSON.stringify({ x: tx.x }))],
    }),
    gas: 200_000n,
    gasPrice: tx.gasPrice,
    type: "legacy",
  });
}
