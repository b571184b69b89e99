// Gas of WavsServiceManager.validate and SimpleSubmit.handleSignedEnvelope against a real
// anvil, for 1, 3, 10 and 30 signers. Run with `npm run bench:gas` (after `npm run build`).
// The last line of output is the machine-readable summary:
//   {"bench":"gas","gas_per_extra_signer":N,"gas_3_signers":N}
// gas_per_extra_signer is the marginal transaction gas of `validate` (calldata included);
// gas_3_signers is the transaction gas of `handleSignedEnvelope` with 3 signers.
import {
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  slice,
  stringToHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildSignatureData,
  deployServiceSet,
  type Envelope,
  registerOperators,
  signEnvelope,
  simpleSubmitAbi,
  startAnvil,
  waitForSuccess,
  wavsServiceManagerAbi,
  ZERO_ORDERING,
} from "../index.js";

const SIGNER_COUNTS = [1, 3, 10, 30] as const;
const MAX_SIGNERS = 30;

function dataWithId(triggerId: bigint, data: Hex): Hex {
  return encodeAbiParameters(
    [
      {
        type: "tuple",
        components: [
          { name: "triggerId", type: "uint64" },
          { name: "data", type: "bytes" },
        ],
      },
    ],
    [{ triggerId, data }],
  );
}

async function main(): Promise<void> {
  const anvil = await startAnvil();
  try {
    const clients = anvil.clients(0);
    // A 1% quorum of 30 equal weights: one signer already passes, so every count is valid.
    const service = await deployServiceSet(clients, {
      quorumNumerator: 1n,
      quorumDenominator: 100n,
    });
    const keys = Array.from({ length: MAX_SIGNERS }, (_, i) =>
      privateKeyToAccount(keccak256(stringToHex(`wavs-ts gas bench signer ${i}`))),
    );
    await registerOperators(
      clients,
      service.serviceManager,
      keys.map((key, i) => ({
        operator: getAddress(slice(keccak256(stringToHex(`wavs-ts gas bench operator ${i}`)), 12)),
        signingKey: key.address,
        weight: 1n,
      })),
    );
    await anvil.mine();

    const rows: { signers: number; validate: bigint; handle: bigint }[] = [];
    for (const count of SIGNER_COUNTS) {
      const envelope: Envelope = {
        eventId: slice(keccak256(stringToHex(`wavs-ts gas bench event ${count}`)), 0, 20),
        ordering: ZERO_ORDERING,
        // A typical small result: a trigger id and 32 bytes of data.
        payload: dataWithId(BigInt(count), keccak256(stringToHex(`result ${count}`))),
      };
      const referenceBlock = (await anvil.blockNumber()) - 1n;
      const signatureData = buildSignatureData(
        await Promise.all(
          keys.slice(0, count).map(async (key) => ({
            signer: key.address,
            signature: await signEnvelope(envelope, key),
          })),
        ),
        referenceBlock,
      );

      // validate is a view, but sending it as a transaction gives its exact gas in a receipt.
      const validateHash = await clients.walletClient.sendTransaction({
        to: service.serviceManager,
        data: encodeFunctionData({
          abi: wavsServiceManagerAbi,
          functionName: "validate",
          args: [envelope, signatureData],
        }),
      });
      const validateReceipt = await waitForSuccess(clients, validateHash);

      const handleHash = await clients.walletClient.writeContract({
        address: service.submit,
        abi: simpleSubmitAbi,
        functionName: "handleSignedEnvelope",
        args: [envelope, signatureData],
      });
      const handleReceipt = await waitForSuccess(clients, handleHash);
      rows.push({
        signers: count,
        validate: validateReceipt.gasUsed,
        handle: handleReceipt.gasUsed,
      });
    }

    console.log("signers  validate(tx gas)  handleSignedEnvelope(tx gas)");
    for (const row of rows) {
      console.log(
        `${String(row.signers).padStart(7)}  ${String(row.validate).padStart(16)}  ${String(row.handle).padStart(28)}`,
      );
    }
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    const extra = BigInt(last.signers - first.signers);
    const perSignerValidate = Number((last.validate - first.validate) / extra);
    const perSignerHandle = Number((last.handle - first.handle) / extra);
    console.log(
      `marginal gas per extra signer: validate ${perSignerValidate}, handleSignedEnvelope ${perSignerHandle}`,
    );
    console.log(
      "(SimpleSubmit stores every signature, so its marginal cost is dominated by SSTOREs)",
    );
    const gas3 = rows.find((row) => row.signers === 3)!.handle;
    console.log(
      JSON.stringify({
        bench: "gas",
        gas_per_extra_signer: perSignerValidate,
        gas_3_signers: Number(gas3),
      }),
    );
  } finally {
    await anvil.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
