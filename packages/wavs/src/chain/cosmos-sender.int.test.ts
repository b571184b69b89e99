// The Cosmos sender against a real wasmd: sequences in order under concurrency, a sequence
// taken behind its back resynced, an unfunded account that waits and lands once funded.
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestCosmos,
  type TestCosmos,
  WASMD_HOOK_TIMEOUT,
} from "../../test/helpers/cosmos-harness.js";
import { waitUntil } from "../../test/helpers/triggers-harness.js";
import { createCosmosSender } from "./cosmos-sender.js";

let cosmos: TestCosmos;
beforeAll(async () => {
  cosmos = await startTestCosmos("wasmd-sender");
}, WASMD_HOOK_TIMEOUT);
afterAll(async () => {
  await cosmos?.stop();
});

const add = (data: string) => ({ add_message: { data } });

describe("Cosmos sender (real wasmd)", () => {
  it("sends concurrent executes one sequence after the other, and resyncs a sequence used elsewhere", async () => {
    const sender = await createCosmosSender({
      chain: cosmos.key,
      rpcUrl: cosmos.chain.rpcUrl,
      mnemonic: cosmos.chain.faucet.mnemonic,
      prefix: "wasm",
      gasPrice: "0ustake",
      pollMs: 50,
    });
    try {
      const before = (await cosmos.wallet.query(cosmos.trigger, { count: {} })) as number;
      const sent = await Promise.all(
        ["01", "02", "03", "04", "05"].map((d) => sender.execute(cosmos.trigger, add(d))),
      );
      expect(new Set(sent.map((t) => t.transactionHash)).size).toBe(5);
      // the same account sends from elsewhere: the sender's sequence is now stale
      await cosmos.emit(1);
      await sender.execute(cosmos.trigger, add("06"));
      expect(await cosmos.wallet.query(cosmos.trigger, { count: {} })).toBe(before + 7);
    } finally {
      sender.close();
    }
  });

  it("an account without funds waits, and lands once funded", async () => {
    const fresh = await DirectSecp256k1HdWallet.generate(24, { prefix: "wasm" });
    const [account] = await fresh.getAccounts();
    // the sender's warnings, to see it waiting
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
    const sender = await createCosmosSender({
      chain: cosmos.key,
      rpcUrl: cosmos.chain.rpcUrl,
      mnemonic: fresh.mnemonic,
      prefix: "wasm",
      gasPrice: "1ustake",
      pollMs: 50,
      logger,
    });
    try {
      let settled = false;
      const sending = sender.execute(cosmos.trigger, add("aa")).finally(() => {
        settled = true;
      });
      // it says it waits for funds, several times, and does not give up
      await waitUntil(
        () => lines.filter((l) => l.includes("waiting for funds")).length >= 3,
        15_000,
        "the sender waiting for funds",
      );
      expect(settled).toBe(false);
      await cosmos.wallet.send(account!.address, "10000000", "ustake");
      const tx = await sending;
      expect(tx.gasUsed > 0n).toBe(true);
    } finally {
      sender.close();
    }
  });
});
