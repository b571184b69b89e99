/** The CosmWasm contracts of packages/contracts/cosmwasm, compiled by scripts/build-cosmwasm.mjs. */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { WavsError } from "@wavs-ts/errors";
import { type Envelope, encodeEnvelope, type SignatureData } from "./envelope.js";

/** The CosmWasm contracts this package builds. */
export type CosmwasmContract = "trigger" | "service_manager" | "handler";

/** The compiled wasm of a CosmWasm contract; a clear error when it was not built. */
export function cosmwasmCode(name: CosmwasmContract): Uint8Array {
  // src/ and dist/ sit at the same depth, so this resolves from either.
  const path = fileURLToPath(new URL(`../cosmwasm/out/${name}.wasm`, import.meta.url));
  if (!existsSync(path)) {
    throw new WavsError(
      "WAVS_ERR_DEV_NETWORK",
      `the CosmWasm contract '${name}' is not built (${path} is missing)`,
      { hint: "Install clang and lld (apt-get install clang lld), then run `npm run build`." },
    );
  }
  return new Uint8Array(readFileSync(path));
}

/** `signature_data` of the CosmWasm messages: signers 0x, signatures hex without 0x. */
export interface CosmwasmSignatureData {
  signers: string[];
  signatures: string[];
  reference_block: number;
}

/**
 * The `{envelope, signature_data}` body shared by `wavs_validate` (manager query) and
 * `wavs_handle_signed_envelope` (handler execute): the envelope as base64 of its ABI
 * encoding, the same bytes the operators signed over on either chain family.
 */
export function cosmwasmSignedEnvelope(
  envelope: Envelope,
  signatureData: SignatureData,
): { envelope: string; signature_data: CosmwasmSignatureData } {
  return {
    envelope: Buffer.from(encodeEnvelope(envelope).slice(2), "hex").toString("base64"),
    signature_data: {
      signers: signatureData.signers.map((s) => s.toLowerCase()),
      signatures: signatureData.signatures.map((s) => s.replace(/^0x/, "")),
      reference_block: signatureData.referenceBlock,
    },
  };
}
