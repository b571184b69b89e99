// The test RPC proxy itself, against a real anvil: HTTP and WebSocket calls pass through
// (subscriptions included), and broadcasts are refused while blocked, on both transports.
import { type Anvil, startAnvil } from "@wavs-ts/contracts";
import {
  BaseError,
  createPublicClient,
  createWalletClient,
  http,
  type PublicClient,
  type Transport,
  webSocket,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSED_CODE, type RpcProxy, startRpcProxy } from "./rpc-proxy.js";
import { waitUntil } from "./wait-until.js";

describe("test RPC proxy (real anvil)", () => {
  let anvil: Anvil;
  let proxy: RpcProxy;

  beforeAll(async () => {
    anvil = await startAnvil();
    proxy = await startRpcProxy(anvil.rpcUrl);
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await anvil?.stop();
  });

  async function sendThrough(transport: Transport, key: number) {
    const account = privateKeyToAccount(anvil.privateKeys[key]!);
    const wallet = createWalletClient({ account, chain: foundry, transport });
    const client = createPublicClient({ chain: foundry, transport }) as PublicClient;
    const nonce = () => client.getTransactionCount({ address: account.address });
    const before = await nonce();
    proxy.blockSends();
    const refused = await wallet.sendTransaction({ to: account.address, value: 1n }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(BaseError);
    const rpcError = (refused as BaseError).walk(
      (e) => (e as { code?: unknown }).code !== undefined,
    );
    expect((rpcError as { code?: unknown } | null)?.code).toBe(REFUSED_CODE);
    await anvil.mine(1);
    expect(await nonce()).toBe(before);
    proxy.unblockSends();
    const hash = await wallet.sendTransaction({ to: account.address, value: 1n });
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(await nonce()).toBe(before + 1);
  }

  it("HTTP: forwards calls, refuses broadcasts only while blocked", async () => {
    const client = createPublicClient({ chain: foundry, transport: http(proxy.url) });
    expect(await client.getBlockNumber()).toBe(await anvil.publicClient().getBlockNumber());
    const refusedBefore = proxy.refusedSends();
    await sendThrough(http(proxy.url), 1);
    expect(proxy.refusedSends()).toBe(refusedBefore + 1);
    expect(proxy.calls.filter((c) => c.transport === "http" && c.refused)).toHaveLength(
      refusedBefore + 1,
    );
  }, 60_000);

  it("WebSocket: forwards calls and subscriptions, refuses broadcasts only while blocked", async () => {
    const transport = webSocket(proxy.wsUrl, { retryCount: 0 });
    const client = createPublicClient({ chain: foundry, transport });
    expect(await client.getBlockNumber()).toBe(await anvil.publicClient().getBlockNumber());
    const heads: bigint[] = [];
    const unwatch = client.watchBlockNumber({
      onBlockNumber: (n) => heads.push(n),
      emitOnBegin: false,
    });
    try {
      // the subscription is set up in the background: mine until a head arrives through it
      const start = await anvil.publicClient().getBlockNumber();
      await waitUntil(
        async () => {
          if (heads.some((n) => n > start)) return true;
          await anvil.mine(1);
          return undefined;
        },
        "a new head over WS",
        45_000,
      );
      const refusedBefore = proxy.refusedSends();
      await sendThrough(transport, 2);
      expect(proxy.calls.filter((c) => c.transport === "ws" && c.refused)).toHaveLength(1);
      expect(proxy.refusedSends()).toBe(refusedBefore + 1);
      expect(proxy.calls.some((c) => c.transport === "ws" && c.method === "eth_subscribe")).toBe(
        true,
      );
    } finally {
      unwatch();
    }
  }, 60_000);
});
