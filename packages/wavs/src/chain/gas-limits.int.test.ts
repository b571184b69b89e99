// Gas limits against a real anvil behind a counting JSON-RPC proxy: a remembered limit is
// reused after one capped eth_call; a call that needs more, or reverts, is estimated again.
import { deployLogSpam, logSpamAbi } from "@wavs-ts/contracts";
import {
  type Address,
  createPublicClient,
  encodeFunctionData,
  type Hex,
  http,
  maxUint256,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";
import { methodsFromNow, useProxiedAnvil } from "../../test/helpers/rpc-proxy.js";
import { isRevert } from "./call-errors.js";
import { GasLimits } from "./gas-limits.js";

describe("gas limits", () => {
  const chain = useProxiedAnvil();
  let spam: Address;

  beforeAll(async () => {
    spam = await deployLogSpam(chain.anvil().clients());
  });

  const emit = (start: bigint, count: bigint): Hex =>
    encodeFunctionData({ abi: logSpamAbi, functionName: "emitSpam", args: [start, count] });

  function counter() {
    const methods = methodsFromNow(chain.proxy());
    return (method: string) => methods().filter((m) => m === method).length;
  }

  it("reuses a limit that suffices, estimates again when it does not or the call reverts", async () => {
    const anvil = chain.anvil();
    const account = privateKeyToAccount(anvil.privateKeys[7] as Hex);
    const client = createPublicClient({ transport: http(chain.proxy().url) });
    const limits = new GasLimits({ client, from: account.address, marginPercent: 25 });
    const direct = anvil.publicClient();

    let calls = counter();
    const first = await limits.limitFor(spam, emit(1n, 3n));
    const estimate = await direct.estimateGas({
      account: account.address,
      to: spam,
      data: emit(1n, 3n),
    });
    expect(first).toBe((estimate * 125n) / 100n);
    expect(calls("eth_estimateGas")).toBe(1);

    // same handler, selector and length, needs no more gas: one capped eth_call
    calls = counter();
    expect(await limits.limitFor(spam, emit(100n, 2n))).toBe(first);
    expect(calls("eth_estimateGas")).toBe(0);
    expect(calls("eth_call")).toBe(1);

    // same shape, ten times the logs: the cap is not enough, so it is estimated again
    calls = counter();
    const bigger = await limits.limitFor(spam, emit(1n, 30n));
    expect(bigger).toBeGreaterThan(first);
    expect(calls("eth_call")).toBe(1);
    expect(calls("eth_estimateGas")).toBe(1);
    // and that limit is what a transaction needs: it is mined with it
    const wallet = anvil.walletClient(7);
    const hash = await wallet.sendTransaction({
      account: wallet.account,
      chain: null,
      to: spam,
      data: emit(1n, 30n),
      gas: bigger,
    });
    expect((await direct.waitForTransactionReceipt({ hash })).status).toBe("success");

    // a call that reverts (start + count overflows) is estimated, and the revert surfaces as before
    calls = counter();
    const reverted = await limits
      .limitFor(spam, emit(maxUint256, 30n))
      .catch((err: unknown) => err);
    expect(isRevert(reverted)).toBe(true);
    expect(calls("eth_estimateGas")).toBe(1);
  });
});
