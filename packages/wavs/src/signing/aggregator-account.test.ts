import { parseGwei } from "viem";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { aggregatorAccount } from "./aggregator-account.js";

const MNEMONIC = "test test test test test test test test test test test junk";

describe("aggregatorAccount", () => {
  it("is undefined without a credential", () => {
    expect(aggregatorAccount(undefined)).toBeUndefined();
  });

  it("signs what viem's account of the same credential signs (key or mnemonic)", async () => {
    const key = generatePrivateKey();
    const pairs = [
      [aggregatorAccount(key)!, privateKeyToAccount(key)],
      [aggregatorAccount(MNEMONIC)!, mnemonicToAccount(MNEMONIC, { addressIndex: 0 })],
    ] as const;
    for (const [ours, viems] of pairs) {
      expect(ours.address).toBe(viems.address);
      for (let nonce = 0; nonce < 5; nonce++) {
        const tx = {
          type: "legacy",
          chainId: 31337,
          nonce,
          to: viems.address,
          data: "0xdeadbeef",
          gas: 470_000n,
          gasPrice: parseGwei(`${nonce + 1}`),
        } as const;
        expect(await ours.signTransaction(tx)).toBe(await viems.signTransaction(tx));
      }
      expect(await ours.signMessage({ message: "hi" })).toBe(
        await viems.signMessage({ message: "hi" }),
      );
    }
  });
});
