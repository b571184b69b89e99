// Deployment and administration of the service contracts with viem. Used by `wavs dev`, the
// CLI and the tests; every helper waits for its transaction and throws if it reverted.
import { WavsError } from "@wavs-ts/errors";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractConstructorArgs,
  getAddress,
  type Hash,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { logSpamAbi, logSpamBytecode } from "./generated/LogSpam.js";
import {
  replayAcceptingSubmitAbi,
  replayAcceptingSubmitBytecode,
} from "./generated/ReplayAcceptingSubmit.js";
import { simpleSubmitAbi, simpleSubmitBytecode } from "./generated/SimpleSubmit.js";
import { simpleTriggerAbi, simpleTriggerBytecode } from "./generated/SimpleTrigger.js";
import {
  wavsServiceManagerAbi,
  wavsServiceManagerBytecode,
} from "./generated/WavsServiceManager.js";

/** A public client to read and wait, and a wallet client (with an account) to send. */
export interface ContractClients {
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain, Account>;
}

/** Addresses of a deployed service: manager, trigger source and handler. */
export interface ServiceSet {
  serviceManager: Address;
  trigger: Address;
  submit: Address;
}

/** Options of `deployServiceSet`. */
export interface DeployServiceSetOptions {
  /** Owner of the manager; defaults to the wallet's account. */
  owner?: Address;
  /** Quorum fraction; defaults to 2/3. */
  quorumNumerator?: bigint;
  quorumDenominator?: bigint;
  serviceURI?: string;
  /**
   * The handler: `simple` (SimpleSubmit, refuses a replayed event id; the default) or
   * `replay-accepting` (ReplayAcceptingSubmit, shaped like WAVS's example handler: every valid
   * call lands and overwrites).
   */
  handler?: "simple" | "replay-accepting";
}

/** An operator with its signing key and weight. */
export interface OperatorRegistration {
  operator: Address;
  signingKey: Address;
  weight: bigint;
}

/** Waits for a transaction and throws unless it succeeded. */
export async function waitForSuccess(clients: ContractClients, hash: Hash) {
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success")
    throw new WavsError("WAVS_ERR_CHAIN_TX_REVERTED", `transaction ${hash} reverted`);
  return receipt;
}

/** Deploys a contract and returns its address once mined. */
export async function deployContract<const abi extends Abi>(
  clients: ContractClients,
  abi: abi,
  bytecode: Hex,
  args: ContractConstructorArgs<abi>,
): Promise<Address> {
  const { walletClient } = clients;
  // The cast keeps viem's conditional `args` typing out of this generic helper; the
  // signature above already ties `args` to the constructor of `abi`.
  const hash = await walletClient.deployContract({
    abi,
    bytecode,
    args,
    account: walletClient.account,
    chain: walletClient.chain,
  } as Parameters<typeof walletClient.deployContract>[0]);
  const receipt = await waitForSuccess(clients, hash);
  if (!receipt.contractAddress)
    throw new WavsError("WAVS_ERR_CHAIN_TX_REVERTED", `deployment ${hash} created no contract`);
  // Receipts carry lowercase addresses; checksum them so results compare equal everywhere.
  return getAddress(receipt.contractAddress);
}

/** Deploys WavsServiceManager, SimpleTrigger and a handler bound to the manager (SimpleSubmit by default). */
export async function deployServiceSet(
  clients: ContractClients,
  options: DeployServiceSetOptions = {},
): Promise<ServiceSet> {
  const deployer = clients.walletClient.account.address;
  const owner = options.owner ?? deployer;
  // Deployed owned by the deployer so it can set the URI, then handed over if needed.
  const serviceManager = await deployContract(
    clients,
    wavsServiceManagerAbi,
    wavsServiceManagerBytecode,
    [deployer, options.quorumNumerator ?? 2n, options.quorumDenominator ?? 3n],
  );
  const trigger = await deployContract(clients, simpleTriggerAbi, simpleTriggerBytecode, []);
  const submit =
    options.handler === "replay-accepting"
      ? await deployContract(clients, replayAcceptingSubmitAbi, replayAcceptingSubmitBytecode, [
          serviceManager,
        ])
      : await deployContract(clients, simpleSubmitAbi, simpleSubmitBytecode, [serviceManager]);
  if (options.serviceURI !== undefined) {
    await setServiceURI(clients, serviceManager, options.serviceURI);
  }
  if (getAddress(owner) !== getAddress(deployer)) {
    await transferOwnership(clients, serviceManager, owner);
  }
  return { serviceManager, trigger, submit };
}

/** Deploys the LogSpam load-test contract. */
export async function deployLogSpam(clients: ContractClients): Promise<Address> {
  return deployContract(clients, logSpamAbi, logSpamBytecode, []);
}

async function writeManager(
  clients: ContractClients,
  serviceManager: Address,
  call:
    | { functionName: "registerOperator"; args: readonly [Address, Address, bigint] }
    | { functionName: "deregisterOperator"; args: readonly [Address] }
    | { functionName: "setOperatorWeight"; args: readonly [Address, bigint] }
    | { functionName: "rotateSigningKey"; args: readonly [Address, Address] }
    | { functionName: "setQuorumThreshold"; args: readonly [bigint, bigint] }
    | { functionName: "setServiceURI"; args: readonly [string] }
    | { functionName: "transferOwnership"; args: readonly [Address] },
): Promise<Hash> {
  const { walletClient } = clients;
  const hash = await walletClient.writeContract({
    address: serviceManager,
    abi: wavsServiceManagerAbi,
    ...call,
    account: walletClient.account,
    chain: walletClient.chain,
  } as Parameters<typeof walletClient.writeContract>[0]);
  await waitForSuccess(clients, hash);
  return hash;
}

/** Registers one operator with its signing key and weight (owner only). */
export function registerOperator(
  clients: ContractClients,
  serviceManager: Address,
  { operator, signingKey, weight }: OperatorRegistration,
): Promise<Hash> {
  return writeManager(clients, serviceManager, {
    functionName: "registerOperator",
    args: [operator, signingKey, weight],
  });
}

/** Registers several operators, one transaction each, in order. */
export async function registerOperators(
  clients: ContractClients,
  serviceManager: Address,
  operators: readonly OperatorRegistration[],
): Promise<void> {
  for (const registration of operators) {
    await registerOperator(clients, serviceManager, registration);
  }
}

/** Removes an operator (owner only). */
export function deregisterOperator(
  clients: ContractClients,
  serviceManager: Address,
  operator: Address,
): Promise<Hash> {
  return writeManager(clients, serviceManager, {
    functionName: "deregisterOperator",
    args: [operator],
  });
}

/** Changes an operator's weight (owner only). */
export function setOperatorWeight(
  clients: ContractClients,
  serviceManager: Address,
  operator: Address,
  weight: bigint,
): Promise<Hash> {
  return writeManager(clients, serviceManager, {
    functionName: "setOperatorWeight",
    args: [operator, weight],
  });
}

/** Replaces an operator's signing key (sent by the owner or the operator itself). */
export function rotateSigningKey(
  clients: ContractClients,
  serviceManager: Address,
  operator: Address,
  newSigningKey: Address,
): Promise<Hash> {
  return writeManager(clients, serviceManager, {
    functionName: "rotateSigningKey",
    args: [operator, newSigningKey],
  });
}

/** Sets the quorum fraction numerator/denominator (owner only). */
export function setQuorumThreshold(
  clients: ContractClients,
  serviceManager: Address,
  numerator: bigint,
  denominator: bigint,
): Promise<Hash> {
  return writeManager(clients, serviceManager, {
    functionName: "setQuorumThreshold",
    args: [numerator, denominator],
  });
}

/** Sets the service URI (owner only). */
export function setServiceURI(
  clients: ContractClients,
  serviceManager: Address,
  serviceURI: string,
): Promise<Hash> {
  return writeManager(clients, serviceManager, {
    functionName: "setServiceURI",
    args: [serviceURI],
  });
}

/** Hands the manager's owner role to another address (owner only). */
export function transferOwnership(
  clients: ContractClients,
  serviceManager: Address,
  newOwner: Address,
): Promise<Hash> {
  return writeManager(clients, serviceManager, {
    functionName: "transferOwnership",
    args: [newOwner],
  });
}
