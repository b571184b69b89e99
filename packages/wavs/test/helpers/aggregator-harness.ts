/**
 * Test helpers for aggregation: an in-process node on a real anvil, services registered
 * directly (dev route path), and submissions signed by arbitrary keys, as peers would send them.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Anvil,
  deployContract,
  simpleSubmitAbi,
  simpleSubmitBytecode,
  simpleTriggerAbi,
  simpleTriggerBytecode,
} from "@wavs-ts/contracts";
import { type Address, encodeAbiParameters, type Hex, type LocalAccount } from "viem";
import type { AggregatorOptions } from "../../src/aggregator/aggregator-options.js";
import { localSubmission, type SignedSubmission } from "../../src/aggregator/signed-submission.js";
import { WavsConfigSchema } from "../../src/config/schema.js";
import { componentJson } from "../../src/devnet/dev-services.js";
import { encodeTriggerDataForEventId, eventId } from "../../src/ids/index.js";
import type { LogBuffer } from "../../src/internal/log-buffer.js";
import { createLogger, silentLogger } from "../../src/internal/logger.js";
import { createWavsNode, type WavsNode } from "../../src/node/wavs-node.js";
import { bytesToHex, type TriggerData } from "../../src/service/index.js";
import { signResponse } from "../../src/signing/index.js";
import { waitUntil } from "./wait-until.js";

/** Anvil's well-known test mnemonic. */
export const TEST_MNEMONIC = "test test test test test test test test test test test junk";
/** topic0 of `NewTrigger(bytes)`. */
export const NEW_TRIGGER_TOPIC =
  "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68";

/** An in-process node on a data directory (kept across `restart`). */
export interface TestNode {
  node: WavsNode;
  dataDir: string;
  url: string;
  /** Stop and start a new node on the same data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Stop and remove the data directory. */
  close(): Promise<void>;
}

/** Start a node on anvil with `credential` paying for result transactions. */
export async function startTestNode(options: {
  anvil: Anvil;
  credential?: string | undefined;
  aggregator?: Partial<AggregatorOptions>;
  dataDir?: string;
  /** Keep the node's log lines here (GET /dev/logs). */
  logs?: LogBuffer;
  /** More config fields (e.g. `jaeger`, `prometheus`). */
  config?: Record<string, unknown>;
}): Promise<TestNode> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "wavs-agg-"));
  const config = WavsConfigSchema.parse({
    data: dataDir,
    port: 0,
    signing_mnemonic: TEST_MNEMONIC,
    dev_endpoints_enabled: true,
    engine_pool_size: 2,
    ...(options.credential ? { aggregator_evm_credential: options.credential } : {}),
    chains: {
      evm: { "31337": { http_endpoint: options.anvil.rpcUrl, poll_interval_ms: 100 } },
    },
    ...options.config,
  });
  const logger = options.logs
    ? createLogger({ level: "debug", name: "test-node", buffer: options.logs, stderr: false })
    : process.env.WAVS_TEST_LOG
      ? createLogger({ level: "debug", name: "test-node" })
      : silentLogger();
  const make = () =>
    createWavsNode({
      config,
      logger,
      version: "test",
      ...(options.logs ? { logs: options.logs } : {}),
      aggregator: {
        gracePeriodMs: 500,
        ...options.aggregator,
        tx: { pollMs: 100, initialBackoffMs: 200, maxBackoffMs: 1000, ...options.aggregator?.tx },
      },
    });
  let node = make();
  let address = await node.start();
  const t: TestNode = {
    node,
    dataDir,
    url: address.url,
    async restart() {
      await node.stop();
      node = make();
      address = await node.start();
      t.node = node;
      t.url = address.url;
    },
    async stop() {
      await node.stop();
    },
    async close() {
      await node.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Register component files with the node's engine; returns their digests. */
export async function uploadComponents(t: TestNode, paths: string[]): Promise<string[]> {
  const digests: string[] = [];
  for (const p of paths) digests.push((await t.node.parts.engine.register(readFileSync(p))).digest);
  return digests;
}

/** Register a service directly (no chain read); returns its id and the node's signing address. */
export async function registerService(
  t: TestNode,
  manager: Address,
  workflows: Record<string, unknown>,
): Promise<{ serviceId: string; signer: Address; manager: Address }> {
  const registry = t.node.parts.registry;
  const service = {
    name: "aggregation-test",
    workflows,
    status: "active",
    manager: { evm: { chain: "evm:31337", address: manager } },
  };
  const entry = await registry.addDevService(registry.storeDevService(service));
  return {
    serviceId: entry.serviceId,
    signer: registry.signerAccount(entry.serviceId).address,
    manager,
  };
}

/** An aggregator workflow fed by hand (manual trigger). */
export function manualWorkflow(operatorDigest: string, aggregatorDigest: string, handler: Address) {
  return {
    trigger: "manual",
    component: componentJson(operatorDigest),
    submit: {
      aggregator: {
        component: componentJson(aggregatorDigest, {
          chain: "evm:31337",
          service_handler: handler,
        }),
        signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
      },
    },
  };
}

/** An aggregator workflow on `NewTrigger` logs of a trigger contract. */
export function evmWorkflow(
  trigger: Address,
  operatorDigest: string,
  aggregatorDigest: string,
  handler: Address,
) {
  return {
    ...manualWorkflow(operatorDigest, aggregatorDigest, handler),
    trigger: {
      evm_contract_event: { address: trigger, chain: "evm:31337", event_hash: NEW_TRIGGER_TOPIC },
    },
  };
}

/** `abi.encode(DataWithId{triggerId, data})`, the payload SimpleSubmit expects. */
export function dataWithId(triggerId: bigint, data: string): Hex {
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
    [{ triggerId, data: bytesToHex(new TextEncoder().encode(data)) as Hex }],
  );
}

/** A submission signed by `account`, as a peer running the same workflow would send it. */
export async function signedSubmission(
  account: LocalAccount,
  args: { serviceId: string; workflowId: string; trigger: string; payload: Hex },
): Promise<SignedSubmission> {
  const triggerData: TriggerData = { type: "raw", data: new TextEncoder().encode(args.trigger) };
  const id = eventId(args.serviceId, args.workflowId, encodeTriggerDataForEventId(triggerData));
  const payload = Buffer.from(args.payload.slice(2), "hex");
  const response = {
    payload: new Uint8Array(payload),
    ordering: undefined,
    eventIdSalt: undefined,
  };
  const signed = await signResponse(account, {
    eventId: id,
    payload: response.payload,
    signatureKind: { algorithm: "secp256k1", prefix: "eip191" },
  });
  return localSubmission({
    serviceId: args.serviceId,
    workflowId: args.workflowId,
    triggerData,
    response,
    signed,
  });
}

/** Deploy another SimpleTrigger and a SimpleSubmit bound to `manager`. */
export async function deployPair(anvil: Anvil, manager: Address) {
  const clients = anvil.clients(0);
  const trigger = await deployContract(clients, simpleTriggerAbi, simpleTriggerBytecode, []);
  const submit = await deployContract(clients, simpleSubmitAbi, simpleSubmitBytecode, [manager]);
  return { trigger, submit };
}

/** Transactions mined so far whose recipient is `to`. */
export async function transactionsTo(anvil: Anvil, to: Address): Promise<Hex[]> {
  const client = anvil.publicClient();
  const latest = await client.getBlockNumber();
  const hashes: Hex[] = [];
  for (let n = 0n; n <= latest; n++) {
    const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.to?.toLowerCase() === to.toLowerCase()) hashes.push(tx.hash);
    }
  }
  return hashes;
}

/** Poll until `check` returns something other than undefined (default: 60 s). */
export function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  return waitUntil(check, what, timeoutMs);
}

export { componentJson };
