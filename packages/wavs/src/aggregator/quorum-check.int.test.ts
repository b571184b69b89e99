// The reference block of signature data against a real anvil behind a counting proxy: from
// the head the trigger watcher saw (no request, one block further back), else asked.
import { createPublicClient, http } from "viem";
import { describe, expect, it } from "vitest";
import { methodsFromNow, useProxiedAnvil } from "../../test/helpers/rpc-proxy.js";
import { currentSignatureData } from "./quorum-check.js";

describe("currentSignatureData", () => {
  const chain = useProxiedAnvil();
  const client = () =>
    createPublicClient({ transport: http(chain.proxy().url, { retryCount: 0 }) });

  it("takes a head the node saw without asking, two blocks back; asks otherwise, one back", async () => {
    await chain.anvil().mine(3);
    const head = await chain.anvil().publicClient().getBlockNumber();
    let calls = methodsFromNow(chain.proxy());
    const seen = await currentSignatureData(client(), [], head);
    expect(seen.referenceBlock).toBe(Number(head) - 2);
    expect(calls()).toEqual([]);

    calls = methodsFromNow(chain.proxy());
    const asked = await currentSignatureData(client(), []);
    expect(asked.referenceBlock).toBe(Number(head) - 1);
    expect(calls()).toEqual(["eth_blockNumber"]);
  });
});
