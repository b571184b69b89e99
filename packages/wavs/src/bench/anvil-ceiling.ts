/**
 * The most events per second anvil alone (automine) takes on this machine: for each event the
 * two transactions a WAVS event costs the chain, a trigger (`addTrigger`) and its result
 * (`handleSignedEnvelope` with 2 of 3 operator signatures, checked by `validate`), signed ahead
 * and sent back to back, with no operator node running. Whatever the nodes do, the end-to-end
 * sustained rate on the same machine cannot exceed this.
 */
import {
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
import { bytesToHex, encodeFunctionData, type Hex, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { cpuSeconds } from "./process-usage.js";
import { signAddTrigger } from "./trigger-tx.js";

/** What {@link anvilCeiling} measured. */
export interface AnvilCeiling {
  eventsPerSecond: number;
  /** anvil's CPU per event (both transactions mined). */
  cpuMsPerEvent: number;
}

/** Mine `events` trigger + result pairs on a fresh anvil as fast as it takes them. */
export async function anvilCeiling(events: number): Promise<AnvilCeiling> {
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
    await anvil.mine();
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
    const raws: Hex[] = [];
    for (let i = 0; i < events; i++) {
      const x = i + 1;
      raws.push(
        await signAddTrigger(triggerer, {
          chainId: anvil.chainId,
          nonce: nonces[0]! + i,
          trigger: set.trigger,
          x,
          gasPrice,
        }),
      );
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
      raws.push(
        await submitter.signTransaction({
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
        }),
      );
    }

    const cpu0 = cpuSeconds(anvil.pid);
    const t0 = performance.now();
    // a few requests in flight, so the client never leaves anvil waiting
    const hashes: Hex[] = [];
    for (let i = 0; i < raws.length; i += 8) {
      const batch = raws.slice(i, i + 8);
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
    const seconds = (performance.now() - t0) / 1000;
    const cpuMs = (cpuSeconds(anvil.pid) - cpu0) * 1000;
    // every result must have landed, or the figure means nothing
    const stored = await client.readContract({
      address: set.submit,
      abi: simpleSubmitAbi,
      functionName: "getDataWithId",
      args: [firstId + BigInt(events - 1)],
    });
    if (last.status !== "success" || stored.triggerId !== firstId + BigInt(events - 1)) {
      throw new Error("anvil ceiling: the last result did not land");
    }
    return { eventsPerSecond: events / seconds, cpuMsPerEvent: cpuMs / events };
  } finally {
    await anvil.stop();
  }
}
