// Landing checks of announced transactions against a real anvil behind a counting JSON-RPC
// proxy: with the call read from the carried signed transaction, only the receipt is asked
// for; without it the transaction is looked up as before; with the sender's nonce count, an
// unmined transaction costs no receipt. Block scans find a landing among other calls, and
// search blocks scanned before without fetching them again.
import { signerOfTransaction } from "@wavs-ts/contracts";
import { createPublicClient, type Hex, http, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { methodsFromNow, useProxiedAnvil } from "../../test/helpers/rpc-proxy.js";
import { encodeHandleCall } from "./handle-call.js";
import { carriedCall, checkLandingTx, LandingScanner } from "./landing-proof.js";
import { UsedNonces } from "./used-nonces.js";

describe("checkLandingTx", () => {
  const chain = useProxiedAnvil();
  // the "handler" is an account: a call to it succeeds, which is all a landing check reads
  const handler = privateKeyToAccount(`0x${"71".repeat(32)}`).address;
  const sender = () => privateKeyToAccount(chain.anvil().privateKeys[8] as Hex);
  let nonce = 0;

  const eventId = (n: number): Hex => `0x${n.toString(16).padStart(40, "0")}`;
  const calldata = (id: Hex) =>
    encodeHandleCall(
      { eventId: id, ordering: `0x${"00".repeat(12)}`, payload: "0x01" },
      { signers: [], signatures: [], referenceBlock: 1 },
    );

  /** A signed handler call for event `id`; broadcast (and mined) unless `send` is false. */
  async function handleTx(
    id: Hex,
    send = true,
    unsentNonce = 1_000_000,
  ): Promise<{ raw: Hex; hash: Hex }> {
    const raw = await sender().signTransaction({
      chainId: 31337,
      nonce: send ? nonce++ : unsentNonce,
      to: handler,
      data: calldata(id),
      gas: 100_000n,
      gasPrice: 10_000_000_000n,
      type: "legacy",
    });
    const hash = keccak256(raw);
    if (send) {
      const direct = chain.anvil().publicClient();
      await direct.sendRawTransaction({ serializedTransaction: raw });
      await direct.waitForTransactionReceipt({ hash });
    }
    return { raw, hash };
  }

  const counted = () => methodsFromNow(chain.proxy());
  const client = () =>
    createPublicClient({ transport: http(chain.proxy().url, { retryCount: 0 }) });

  it("reads the call from the carried transaction and asks only for the receipt", async () => {
    const { raw, hash } = await handleTx(eventId(1));
    const call = carriedCall(raw, hash);
    expect(call).toEqual({
      to: handler.toLowerCase(),
      input: calldata(eventId(1)),
      nonce: nonce - 1,
    });
    const calls = counted();
    const check = await checkLandingTx(client(), { hash, call, handler, eventId: eventId(1) });
    expect(check).toMatchObject({ kind: "landed", txHash: hash, from: sender().address });
    expect(calls()).toEqual(["eth_getTransactionReceipt"]);
  });

  it("looks the transaction up when none was carried; bytes of another hash carry no call", async () => {
    const a = await handleTx(eventId(2));
    const b = await handleTx(eventId(3));
    const calls = counted();
    expect(
      await checkLandingTx(client(), { hash: a.hash, handler, eventId: eventId(2) }),
    ).toMatchObject({ kind: "landed", txHash: a.hash });
    expect(calls()).toEqual(["eth_getTransactionByHash", "eth_getTransactionReceipt"]);
    expect(carriedCall(b.raw, a.hash)).toBeUndefined();
    expect(carriedCall("0xf8", keccak256("0xf8"))).toBeUndefined();
  });

  it("refuses a carried call to another handler or for another event without asking the chain", async () => {
    const { raw, hash } = await handleTx(eventId(4));
    const call = carriedCall(raw, hash);
    const calls = counted();
    expect(await checkLandingTx(client(), { hash, call, handler, eventId: eventId(5) })).toEqual({
      kind: "no",
      reason: `transaction ${hash} does not carry this event`,
    });
    const other = privateKeyToAccount(`0x${"72".repeat(32)}`).address;
    expect(
      await checkLandingTx(client(), { hash, call, handler: other, eventId: eventId(4) }),
    ).toMatchObject({ kind: "no" });
    expect(calls()).toEqual([]);
  });

  it("takes an unmined carried transaction as pending, and as unknown once asked to confirm", async () => {
    const { raw, hash } = await handleTx(eventId(6), false);
    const call = carriedCall(raw, hash);
    let calls = counted();
    expect(await checkLandingTx(client(), { hash, call, handler, eventId: eventId(6) })).toEqual({
      kind: "pending",
    });
    expect(calls()).toEqual(["eth_getTransactionReceipt"]);
    calls = counted();
    expect(
      await checkLandingTx(client(), {
        hash,
        call,
        handler,
        eventId: eventId(6),
        confirmUnmined: true,
      }),
    ).toEqual({ kind: "no", reason: `transaction ${hash} is unknown to the node` });
    expect(calls()).toEqual(["eth_getTransactionReceipt", "eth_getTransactionByHash"]);
  });

  it("asked whether it is mined yet: one nonce count answers for every unmined transaction of a sender, no receipt", async () => {
    const a = await handleTx(eventId(7), false, 1_000_001);
    const b = await handleTx(eventId(8), false, 1_000_002);
    const nonces = new UsedNonces(client());
    const calls = counted();
    for (const [tx, id] of [
      [a, 7],
      [b, 8],
    ] as const) {
      const call = carriedCall(tx.raw, tx.hash);
      expect(
        await checkLandingTx(client(), {
          hash: tx.hash,
          call,
          handler,
          eventId: eventId(id),
          notMinedYet: () => nonces.notMinedYet(tx.hash, tx.raw, call?.nonce ?? -1),
        }),
      ).toEqual({ kind: "pending" });
    }
    expect(calls()).toEqual(["eth_getTransactionCount"]);
  });

  it("asked whether it is mined yet: a mined transaction is found by its sender's count, then its receipt", async () => {
    const { raw, hash } = await handleTx(eventId(9));
    const call = carriedCall(raw, hash);
    const calls = counted();
    const check = await checkLandingTx(client(), {
      hash,
      call,
      handler,
      eventId: eventId(9),
      notMinedYet: () => new UsedNonces(client()).notMinedYet(hash, raw, call?.nonce ?? -1),
    });
    expect(check).toMatchObject({ kind: "landed", txHash: hash });
    expect(calls()).toEqual(["eth_getTransactionCount", "eth_getTransactionReceipt"]);
  });

  it("recovers the signer of a transaction; none from bytes that are not one", async () => {
    const { raw } = await handleTx(eventId(10), false);
    expect(await signerOfTransaction(raw)).toBe(sender().address);
    expect(await signerOfTransaction("0xf8")).toBeUndefined();
  });
});

describe("LandingScanner", () => {
  const chain = useProxiedAnvil();
  const handler = privateKeyToAccount(`0x${"72".repeat(32)}`).address;
  const elsewhere = privateKeyToAccount(`0x${"73".repeat(32)}`).address;
  const sender = () => privateKeyToAccount(chain.anvil().privateKeys[7] as Hex);
  let nonce = 0;
  const eventId = (n: number): Hex => `0x${n.toString(16).padStart(40, "0")}`;

  /** A mined handler call for event `id` sent to `to`; its hash. */
  async function landed(id: Hex, to: Hex = handler): Promise<Hex> {
    const direct = chain.anvil().publicClient();
    const hash = await direct.sendRawTransaction({
      serializedTransaction: await sender().signTransaction({
        chainId: 31337,
        nonce: nonce++,
        to,
        data: encodeHandleCall(
          { eventId: id, ordering: `0x${"00".repeat(12)}`, payload: "0x01" },
          { signers: [], signatures: [], referenceBlock: 1 },
        ),
        gas: 100_000n,
        gasPrice: 10_000_000_000n,
        type: "legacy",
      }),
    });
    await direct.waitForTransactionReceipt({ hash });
    return hash;
  }

  const client = () =>
    createPublicClient({ transport: http(chain.proxy().url, { retryCount: 0 }) });
  const blockFetches = (methods: string[]) =>
    methods.filter((m) => m === "eth_getBlockByNumber").length;

  it("finds a landing among other calls, and searches scanned blocks again without fetching them", async () => {
    const direct = chain.anvil().publicClient();
    const fromBlock = (await direct.getBlockNumber()) + 1n;
    const hashes = new Map<number, Hex>();
    for (const n of [1, 2, 3, 4, 5, 6]) hashes.set(n, await landed(eventId(n)));
    await landed(eventId(7), elsewhere); // event 7's call went to another contract
    // blocks three below the head are final: kept once scanned
    await chain.anvil().mine(4);
    const scanner = new LandingScanner(client());

    let calls = methodsFromNow(chain.proxy());
    expect(await scanner.find({ handler, eventId: eventId(2), fromBlock })).toMatchObject({
      kind: "landed",
      txHash: hashes.get(2),
      from: sender().address,
    });
    // newest first, eight at a time: the eleven blocks since `fromBlock` in two rounds
    expect(blockFetches(calls())).toBe(11);

    calls = methodsFromNow(chain.proxy());
    expect(await scanner.find({ handler, eventId: eventId(5), fromBlock })).toMatchObject({
      kind: "landed",
      txHash: hashes.get(5),
    });
    expect(await scanner.find({ handler, eventId: eventId(7), fromBlock })).toBeUndefined();
    expect(await scanner.find({ handler, eventId: eventId(99), fromBlock })).toBeUndefined();
    expect(await scanner.find({ handler, eventId: eventId(1), fromBlock })).toMatchObject({
      txHash: hashes.get(1),
    });
    // every final block was scanned before: only the three newest are fetched again, at most
    // once per search
    expect(blockFetches(calls())).toBeLessThanOrEqual(3 * 4);
    expect(calls().filter((m) => m === "eth_getTransactionReceipt")).toHaveLength(2);
  });

  it("with few blocks kept, drops the oldest from its index and fetches them again when asked", async () => {
    const direct = chain.anvil().publicClient();
    const fromBlock = (await direct.getBlockNumber()) + 1n;
    const first = await landed(eventId(11));
    const second = await landed(eventId(12));
    await chain.anvil().mine(8);
    const scanner = new LandingScanner(client(), 4);
    // the scan of ten blocks keeps the four oldest it read last: event 11's block among them
    expect(await scanner.find({ handler, eventId: eventId(11), fromBlock })).toMatchObject({
      txHash: first,
    });
    // event 12's block was scanned and dropped: found again by fetching it
    const calls = methodsFromNow(chain.proxy());
    expect(await scanner.find({ handler, eventId: eventId(12), fromBlock })).toMatchObject({
      txHash: second,
    });
    expect(blockFetches(calls())).toBeGreaterThan(0);
    expect(await scanner.find({ handler, eventId: eventId(13), fromBlock })).toBeUndefined();
  });
});
