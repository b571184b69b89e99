// Logs blooms of real anvil blocks: what a block holds is always in its bloom; what it does
// not hold is (almost always) not.
import { type Anvil, deployLogSpam, startAnvil } from "@wavs-ts/contracts";
import { toEventSelector } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitSpam } from "../../test/helpers/triggers-harness.js";
import { bloomItems, bloomMayMatch } from "./logs-bloom.js";

describe("logs bloom", () => {
  let anvil: Anvil;
  beforeAll(async () => {
    anvil = await startAnvil();
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  it("says which filters a block may match", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const receipt = await emitSpam(anvil, spam, 1, 2);
    const block = await anvil.publicClient().getBlock({ blockNumber: receipt.blockNumber });
    const bloom = block.logsBloom as string;
    const topic = toEventSelector("Spam(uint256)");
    const other = `0x${"12".repeat(20)}`;
    const otherTopic = toEventSelector("Other(uint256)");
    const may = (addresses?: string[], topic0s?: string[]) =>
      bloomMayMatch(bloom, bloomItems({ addresses, topic0s }));
    expect(may([spam.toLowerCase()], [topic])).toBe(true);
    expect(may([other, spam.toLowerCase()], [otherTopic, topic])).toBe(true);
    expect(may([spam.toLowerCase()], undefined)).toBe(true);
    expect(may(undefined, [topic])).toBe(true);
    expect(may([other], [topic])).toBe(false);
    expect(may([spam.toLowerCase()], [otherTopic])).toBe(false);
    expect(may([], [topic])).toBe(false);
    // an empty block's bloom holds nothing; a malformed one is never trusted
    await anvil.mine(1);
    const empty = await anvil.publicClient().getBlock({ blockTag: "latest" });
    expect(
      bloomMayMatch(empty.logsBloom as string, bloomItems({ addresses: [spam], topic0s: [topic] })),
    ).toBe(false);
    expect(bloomMayMatch("0x00", bloomItems({ addresses: [other], topic0s: [topic] }))).toBe(true);
  });
});
