// Shared fixtures for the contract tests: deterministic keys, a service set with operators
// registered, signing shortcuts and a revert matcher.
import {
  type Address,
  encodeAbiParameters,
  type Hex,
  keccak256,
  type LocalAccount,
  stringToHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { expect } from "vitest";
import type { Anvil } from "../../src/anvil.js";
import { deployServiceSet, registerOperators, type ServiceSet } from "../../src/deploy.js";
import {
  buildSignatureData,
  type Envelope,
  type SignatureData,
  signEnvelope,
  ZERO_ORDERING,
} from "../../src/envelope.js";
import { decodeRevert } from "../../src/errors.js";
import { wavsServiceManagerAbi } from "../../src/generated/WavsServiceManager.js";

/** A deterministic signing key, distinct per label. */
export function testKey(label: string): LocalAccount {
  return privateKeyToAccount(keccak256(stringToHex(`wavs-ts test key ${label}`)));
}

/** An operator of a test service: its address and its current signing key. */
export interface TestOperator {
  operator: Address;
  signer: LocalAccount;
  weight: bigint;
}

export interface TestService extends ServiceSet {
  operators: TestOperator[];
}

/**
 * Deploys a fresh service set and registers one operator per weight. Operator addresses are
 * anvil dev accounts 1.. so a test can send as an operator (e.g. to rotate its key).
 */
export async function setupService(
  anvil: Anvil,
  weights: readonly bigint[],
  quorum: [bigint, bigint] = [2n, 3n],
  label = "",
): Promise<TestService> {
  const clients = anvil.clients(0);
  const set = await deployServiceSet(clients, {
    quorumNumerator: quorum[0],
    quorumDenominator: quorum[1],
  });
  const operators = weights.map((weight, i) => ({
    operator: anvil.walletClient(i + 1).account.address,
    signer: testKey(`${label}operator-${i}`),
    weight,
  }));
  await registerOperators(
    clients,
    set.serviceManager,
    operators.map((o) => ({
      operator: o.operator,
      signingKey: o.signer.address,
      weight: o.weight,
    })),
  );
  return { ...set, operators };
}

let eventCounter = 0;

/** A fresh envelope (unique event id) carrying `abi.encode(DataWithId{triggerId, data})`. */
export function testEnvelope(triggerId = 1n, data: Hex = "0xc0ffee"): Envelope {
  eventCounter++;
  return {
    eventId: keccak256(stringToHex(`event ${eventCounter} ${Date.now()}`)).slice(0, 42) as Hex,
    ordering: ZERO_ORDERING,
    payload: encodeDataWithId(triggerId, data),
  };
}

/** `abi.encode(DataWithId{triggerId, data})`, what example components answer. */
export function encodeDataWithId(triggerId: bigint, data: Hex): Hex {
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

/** Signs `envelope` with each key and assembles sorted SignatureData. */
export async function signAll(
  envelope: Envelope,
  signers: readonly LocalAccount[],
  referenceBlock: bigint | number,
): Promise<SignatureData> {
  const parts = await Promise.all(
    signers.map(async (signer) => ({
      signer: signer.address,
      signature: await signEnvelope(envelope, signer),
    })),
  );
  return buildSignatureData(parts, referenceBlock);
}

/** The block the next `validate` should reference: latest - 1, as the node does. */
export async function referenceBlock(anvil: Anvil): Promise<number> {
  return Number((await anvil.blockNumber()) - 1n);
}

/** Asserts that `promise` rejects with the custom error `errorName` (and `args`, if given). */
export async function expectRevert(
  promise: Promise<unknown>,
  errorName: string,
  args?: readonly unknown[],
): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a revert with ${errorName}`).toBeDefined();
  const decoded = decodeRevert(caught);
  expect(decoded?.errorName, String(caught).slice(0, 2000)).toBe(errorName);
  if (args) expect(decoded?.args).toEqual(args);
}

/** `validate` as an eth_call on the manager. */
export function validate(
  anvil: Anvil,
  serviceManager: Address,
  envelope: Envelope,
  signatureData: SignatureData,
): Promise<unknown> {
  return anvil.publicClient().readContract({
    address: serviceManager,
    abi: wavsServiceManagerAbi,
    functionName: "validate",
    args: [envelope, signatureData],
  });
}
