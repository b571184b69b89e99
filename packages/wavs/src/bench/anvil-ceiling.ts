/**
 * The most events per second anvil alone (automine) takes on this machine: for each event the
 * two transactions a WAVS event costs the chain, a trigger (`addTrigger`) and its result
 * (`handleSignedEnvelope` with 2 of 3 operator signatures, checked by `validate`), signed ahead
 * and sent back to back, with no operator node running. Whatever the nodes do, the end-to-end
 * sustained rate on the same machine cannot exceed this. Also anvil alone under a paced phase's
 * load shape and chain length (`anvilPaced`): what anvil's CPU per event with nodes running is
 * compared with.
 */
import {
  type Anvil,
  buildSignatureData,
  deployServiceSet,
  type Envelope,
  registerOperators,
  signEnvelope,
  simpleSubmitAbi,
  simpleTriggerAbi,
  startAnvil,
  ZERO_ORDERING,
} from "@wavs-ts/contracts";
import { encodeDataWithId } from "@wavs-ts/sdk";
import { bytesToHex, encodeFunctionData, type Hex, type PublicClient, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { cpuSeconds } from "./process-usage.js";
import { signAddTrigger } from "./trigger-tx.js";

/** What {@link anvilCeiling} or {@link anvilPaced} measured. */
export interface AnvilCeiling {
  eventsPerSecond: number;
  /** anvil's CPU per event (both transactions mined). */
  cpuMsPerEvent: number;
}

/** A fresh anvil with a service set and `events` trigger + result pairs signed ahead. */
interface SignedEvents {
  anvil: Anvil;
  /** Trigger and result of each event, in that order. */
  raws: [Hex, Hex][];
  /** Throws unless the last event's result is stored on the handler. */
  checkLastLanded(): Promise<void>;
}

/** Deploy, register three operators, grow the chain to `premineTo`, sign `events` pairs. */
async function signedEvents(events: number, premineTo?: bigint): Promise<SignedEvents> {
  const anvil = await startAnvil();
  try {
    const clients = anvil.clients(0);
    const set = await deployServiceSet(clients, { quorumNumerator: 2n, quorumDenominator: 3n });
    const keys = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()));
    await registerOperators(
      clients,
      set.serviceManager,
      keys.map((k, i) => ({
        operator: anvil.walletClient(i + 4).account.address,
        signingKey: k.address,
        weight: 1n,
      })),
    );
    // anvil's own cost per block grows with the chain's length (measured: ~1 ms a block on a
    // fresh chain, ~3 ms past 1,200 blocks, ~5.5 ms past 3,000): a chain as long as the one
    // being compared with, in one call
    const head = await anvil.blockNumber();
    await anvil.mine(premineTo !== undefined && premineTo > head ? Number(premineTo - head) : 1);
    const referenceBlock = (await anvil.blockNumber()) - 1n;
    const client = anvil.publicClient();
    const firstId =
      (await client.readContract({
        address: set.trigger,
        abi: simpleTriggerAbi,
        functionName: "lastTriggerId",
      })) + 1n;

    const triggerer = privateKeyToAccount(anvil.privateKeys[0]!);
    const submitter = privateKeyToAccount(anvil.privateKeys[1]!);
    const nonces = await Promise.all(
      [triggerer, submitter].map((a) =>
        client.getTransactionCount({ address: a.address, blockTag: "pending" }),
      ),
    );
    const gasPrice = (await client.getGasPrice()) * 2n + 1_000_000_000n;
    const raws: [Hex, Hex][] = [];
    for (let i = 0; i < events; i++) {
      const x = i + 1;
      const trigger = await signAddTrigger(triggerer, {
        chainId: anvil.chainId,
        nonce: nonces[0]! + i,
        trigger: set.trigger,
        x,
        gasPrice,
      });
      const envelope: Envelope = {
        eventId: toHex(i + 1, { size: 20 }),
        ordering: ZERO_ORDERING,
        payload: bytesToHex(
          encodeDataWithId({
            triggerId: firstId + BigInt(i),
            data: new TextEncoder().encode(JSON.stringify({ y: x * x })),
          }),
        ),
      };
      const signatureData = buildSignatureData(
        await Promise.all(
          keys.slice(0, 2).map(async (k) => ({
            signer: k.address,
            signature: await signEnvelope(envelope, k),
          })),
        ),
        referenceBlock,
      );
      const result = await submitter.signTransaction({
        chainId: anvil.chainId,
        nonce: nonces[1]! + i,
        to: set.submit,
        data: encodeFunctionData({
          abi: simpleSubmitAbi,
          functionName: "handleSignedEnvelope",
          args: [envelope, signatureData],
        }),
        gas: 2_000_000n,
        gasPrice,
        type: "legacy",
      });
      raws.push([trigger, result]);
    }
    const lastId = firstId + BigInt(events - 1);
    return {
      anvil,
      raws,
      async checkLastLanded() {
        // every result must have landed, or the figure means nothing
        const stored = await client.readContract({
          address: set.submit,
          abi: simpleSubmitAbi,
          functionName: "getDataWithId",
          args: [lastId],
        });
        if (stored.triggerId !== lastId)
          throw new Error("anvil alone: the last result did not land");
      },
    };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}

/**
 * Sign `events` pairs on a fresh anvil grown to `premineTo`, then time `send` (which must
 * leave every transaction mined) and anvil's CPU over it; the last result must have landed.
 */
async function timedSends(
  events: number,
  premineTo: bigint | undefined,
  send: (client: PublicClient, raws: [Hex, Hex][], t0: number) => Promise<void>,
): Promise<AnvilCeiling> {
  const { anvil, raws, checkLastLanded } = await signedEvents(events, premineTo);
  try {
    const client = anvil.publicClient();
    const cpu0 = cpuSeconds(anvil.pid);
    const t0 = performance.now();
    await send(client, raws, t0);
    const seconds = (performance.now() - t0) / 1000;
    const cpuMs = (cpuSeconds(anvil.pid) - cpu0) * 1000;
    await checkLastLanded();
    return { eventsPerSecond: events / seconds, cpuMsPerEvent: cpuMs / events };
  } finally {
    await anvil.stop();
  }
}

/** Mine `events` trigger + result pairs on a fresh anvil as fast as it takes them. */
export function anvilCeiling(events: number): Promise<AnvilCeiling> {
  return timedSends(events, undefined, async (client, raws) => {
    const all = raws.flat();
    // a few requests in flight, so the client never leaves anvil waiting
    const hashes: Hex[] = [];
    for (let i = 0; i < all.length; i += 8) {
      const batch = all.slice(i, i + 8);
      hashes.push(
        ...(await Promise.all(
          batch.map((raw) => client.request({ method: "eth_sendRawTransaction", params: [raw] })),
        )),
      );
    }
    const last = await client.waitForTransactionReceipt({
      hash: hashes[hashes.length - 1]!,
      pollingInterval: 20,
    });
    if (last.status !== "success") throw new Error("anvil ceiling: the last result reverted");
  });
}

/**
 * anvil alone under the load shape of a paced phase of the end-to-end run: `events` trigger +
 * result pairs at `rate` per second, each transaction in a block of its own (as when nodes
 * answer each trigger), on a chain first grown to `fromBlock` blocks, the height the phase
 * started at. The CPU per event that the nodes' calls add to anvil is the difference between
 * that phase and this.
 */
export function anvilPaced(opts: {
  events: number;
  rate: number;
  fromBlock: bigint;
}): Promise<AnvilCeiling> {
  return timedSends(opts.events, opts.fromBlock, async (client, raws, t0) => {
    for (const [i, pair] of raws.entries()) {
      const due = t0 + (i * 1000) / opts.rate;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      // automine: each answered send has mined its own block
      for (const raw of pair)
        await client.request({ method: "eth_sendRawTransaction", params: [raw] });
    }
  });
}
