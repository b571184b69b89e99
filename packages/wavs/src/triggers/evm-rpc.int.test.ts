import { type Anvil, deployLogSpam, startAnvil } from "@wavs-ts/contracts";
import { WavsError } from "@wavs-ts/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closedPort,
  emitSpam,
  onCleanup,
  startRpcProxy,
} from "../../test/helpers/triggers-harness.js";
import { type BlockHeader, createEvmRpc } from "./evm-rpc.js";

let anvil: Anvil;
beforeAll(async () => {
  anvil = await startAnvil();
});
afterAll(async () => {
  await anvil?.stop();
});

const rpcFor = (endpoints: string[], extra: Parameters<typeof createEvmRpc>[0] | object = {}) => {
  const rpc = createEvmRpc({ chain: "evm:31337", endpoints, initialBackoffMs: 10, ...extra });
  onCleanup(() => rpc.close());
  return rpc;
};

describe("createEvmRpc", () => {
  it("fails over from a dead endpoint to a working one and stays there", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const used: string[] = [];
    const rpc = rpcFor([dead, anvil.rpcUrl], {
      onRequest: (_m: string, e: string) => used.push(e),
    });
    expect(await rpc.getBlockNumber()).toBe(await anvil.blockNumber());
    expect(await rpc.getBlock("latest")).toMatchObject({ number: await anvil.blockNumber() });
    expect(used).toEqual([dead, anvil.rpcUrl, anvil.rpcUrl]);
  });

  it("gives up with WAVS_ERR_CHAIN_RPC naming the endpoint without its credentials", async () => {
    const port = await closedPort();
    const secretUrl = `http://alice:hunter2@127.0.0.1:${port}/v3/0123456789abcdef0123456789abcdef`;
    const rpc = rpcFor([secretUrl], { maxAttempts: 2 });
    const err = await rpc.getBlockNumber().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WavsError);
    const wavs = err as WavsError;
    expect(wavs.code).toBe("WAVS_ERR_CHAIN_RPC");
    expect(wavs.retryable).toBe(true);
    expect(wavs.message).toMatch(/^eth_blockNumber on evm:31337 failed after 2 attempts: /);
    const shown = JSON.stringify(wavs.toJSON()) + wavs.message + String(wavs.cause);
    expect(shown).not.toContain("hunter2");
    expect(shown).not.toContain("0123456789abcdef0123456789abcdef");
    expect(wavs.details?.endpoint).toContain(`127.0.0.1:${port}`);
  });

  it("splits a log range the node refuses as too large, and returns logs in order", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const start = await anvil.blockNumber();
    for (let i = 0; i < 6; i++) await emitSpam(anvil, spam, i * 10, 3);
    const end = await anvil.blockNumber();
    // Like Infura: more than 2 blocks at once is "too many results".
    const proxy = await startRpcProxy(anvil.rpcUrl, ({ method, params }) => {
      if (method !== "eth_getLogs") return undefined;
      const f = params[0] as { fromBlock: string; toBlock: string };
      if (BigInt(f.toBlock) - BigInt(f.fromBlock) > 1n) {
        return { error: { code: -32005, message: "query returned more than 10000 results" } };
      }
      return undefined;
    });
    const rpc = rpcFor([proxy.url]);
    const logs = await rpc.getLogs({ fromBlock: start + 1n, toBlock: end, addresses: [spam] });
    const ids = logs.map((l) => Number(BigInt(l.topics[1] as string)));
    expect(ids).toEqual([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 52]);
    const calls = proxy.requests.filter((r) => r.method === "eth_getLogs");
    expect(calls.length).toBeGreaterThan(4);
    // An empty address list matches nothing (a node would read it as "any address").
    expect(await rpc.getLogs({ fromBlock: 0n, toBlock: end, addresses: [] })).toEqual([]);
  });

  it("speaks JSON-RPC over WebSocket and delivers new heads", async () => {
    const ws = anvil.rpcUrl.replace("http://", "ws://");
    const rpc = rpcFor([ws]);
    expect(rpc.hasWebSocket).toBe(true);
    const before = await rpc.getBlockNumber();
    const heads: bigint[] = [];
    const headers: (BlockHeader | undefined)[] = [];
    const sub = await rpc.subscribeNewHeads(
      (n, header) => {
        heads.push(n);
        headers.push(header);
      },
      () => {},
    );
    await anvil.mine(2);
    const deadline = Date.now() + 5_000;
    while (heads.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    sub.unsubscribe();
    expect(heads).toEqual([before + 1n, before + 2n]);
    // the pushed headers are the blocks' own
    expect(headers).toEqual([await rpc.getBlock(before + 1n), await rpc.getBlock(before + 2n)]);
  });

  it("carries many calls at once over its sockets without a listener-leak warning", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    onCleanup(() => process.off("warning", onWarning));
    const rpc = rpcFor([anvil.rpcUrl.replace("http://", "ws://")]);
    const expected = await anvil.blockNumber();
    const answers = await Promise.all(Array.from({ length: 40 }, () => rpc.getBlockNumber()));
    expect(answers).toEqual(Array.from({ length: 40 }, () => expected));
    // warnings are emitted on the next tick
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
  });
});
