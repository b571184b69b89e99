/**
 * Gas of the CosmWasm handler's `wavs_handle_signed_envelope` (which asks the service
 * manager's `wavs_validate`) with 1, 3 and 10 signers, on a real local wasmd.
 * `npm run bench:cosmos-gas`. Ten operators of weight 1 and a 1/10 quorum, so every count
 * passes; each count lands a distinct event. The last line is the machine-readable summary:
 *   {"bench":"cosmos_gas","signers_1":N,"signers_3":N,"signers_10":N}
 */
import {
  buildSignatureData,
  cosmwasmCode,
  cosmwasmSignedEnvelope,
  signEnvelope,
  ZERO_ORDERING,
} from "@wavs-ts/contracts";
import { encodeAbiParameters, type Hex, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { connectFaucet, ensureWasmd, pickPorts, startWasmd } from "../devnet/index.js";
import { createProgress } from "../internal/index.js";
import { createCosmosRpc } from "../triggers/index.js";

const COUNTS = [1, 3, 10] as const;

async function main(): Promise<void> {
  const progress = createProgress(process.stderr);
  await ensureWasmd(progress);
  const [rpc, p2p, grpc, api] = (await pickPorts(0, 4, "ports")) as [
    number,
    number,
    number,
    number,
  ];
  progress.update("starting wasmd");
  const chain = await startWasmd({ chainId: "wasmd-gas", ports: { rpc, p2p, grpc, api } });
  const wallet = await connectFaucet(chain);
  try {
    progress.update("deploying the manager and the handler");
    const manager = await wallet.deploy(cosmwasmCode("service_manager"), {}, "gas manager");
    const handler = await wallet.deploy(
      cosmwasmCode("handler"),
      { service_manager: manager },
      "gas handler",
    );
    const keys = Array.from({ length: 10 }, () => generatePrivateKey());
    const setup = await wallet.execute(manager, [
      { wavs_set_quorum_threshold: { numerator: "1", denominator: "10" } },
      ...keys.map((key, i) => ({
        set_signing_key: {
          operator: `0x${String(i + 1).padStart(40, "0")}`,
          signing_key: privateKeyToAccount(key).address,
          weight: "1",
        },
      })),
    ]);
    // weights count from the block after their registration: wait for a newer one
    const rpcClient = createCosmosRpc({
      chain: "cosmos:wasmd-gas",
      endpoints: [chain.rpcUrl],
      webSocket: false,
    });
    while ((await rpcClient.getLatestHeight()) <= BigInt(setup.height)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    rpcClient.close();
    const gas: Record<number, bigint> = {};
    for (const count of COUNTS) {
      progress.update(`handling an envelope with ${count} signer(s)`);
      const envelope = {
        eventId: toHex(count, { size: 20 }),
        ordering: ZERO_ORDERING,
        payload: encodeAbiParameters(
          [{ type: "tuple", components: [{ type: "uint64" }, { type: "bytes" }] }],
          [[BigInt(count), toHex("a result of some thirty-two bytes")]],
        ) as Hex,
      };
      const signatures = await Promise.all(
        keys.slice(0, count).map(async (key) => ({
          signer: privateKeyToAccount(key).address,
          signature: await signEnvelope(envelope, key),
        })),
      );
      const body = cosmwasmSignedEnvelope(envelope, buildSignatureData(signatures, setup.height));
      const tx = await wallet.execute(handler, [{ wavs_handle_signed_envelope: body }]);
      gas[count] = tx.gasUsed;
    }
    progress.done("measured");
    process.stdout.write(
      "gas of wavs_handle_signed_envelope (transaction, validation query included):\n",
    );
    for (const count of COUNTS) {
      process.stdout.write(`  ${String(count).padStart(2)} signer(s): ${gas[count]}\n`);
    }
    const perSigner = Number((gas[10]! - gas[1]!) / 9n);
    process.stdout.write(`  per extra signer: ~${perSigner}\n`);
    process.stdout.write(
      `${JSON.stringify({
        bench: "cosmos_gas",
        signers_1: Number(gas[1]),
        signers_3: Number(gas[3]),
        signers_10: Number(gas[10]),
      })}\n`,
    );
  } finally {
    wallet.disconnect();
    await chain.stop();
  }
}

await main();
