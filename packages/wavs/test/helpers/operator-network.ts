/**
 * Three operators of one service on loopback, for end-to-end tests: a real anvil with our
 * contracts (a weight quorum, 2-of-3 by default), three real `wavs node` processes in P2P
 * remote mode (each bootstraps to the two others), the service registered on every node, and
 * every node's signing key registered with the service manager (weight 1 each).
 *
 * Each workflow gets its own trigger and submit contracts; its operator component is a
 * TypeScript fixture, its aggregator aggregator-simple. With `rpcProxies`, each node reaches
 * anvil only through its own JSON-RPC proxy (HTTP and WebSocket endpoints), which a test can
 * tell to refuse transaction broadcasts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Anvil,
  cosmwasmCode,
  deployContract,
  deployServiceSet,
  registerOperator,
  replayAcceptingSubmitAbi,
  replayAcceptingSubmitBytecode,
  setServiceURI,
  simpleSubmitAbi,
  simpleSubmitBytecode,
  simpleTriggerAbi,
  simpleTriggerBytecode,
  startAnvil,
  waitForSuccess,
} from "@wavs-ts/contracts";
import { buildFixture, decodeNewTriggerEvent } from "@wavs-ts/sdk";
import { type Address, getAddress, type Hex, hexToBytes, toHex } from "viem";
import { english, generateMnemonic, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll } from "vitest";
import { connectedPeers } from "../../src/builder/node-client.js";
import { componentJson } from "../../src/devnet/dev-services.js";
import type { AggregationRecord } from "../../src/http/node-api.js";
import { cosmosAddress, cosmosKey } from "../../src/signing/index.js";
import {
  type CosmosContractTransaction,
  cosmosChainToml,
  startTestCosmos,
  type TestCosmos,
  WASMD_HOOK_TIMEOUT,
} from "./cosmos-harness.js";
import { api, freePort, TOKEN, uploadComponent, waitUntil } from "./node-network.js";
import { type NodeProcess, startNodeProcess, writeConfig } from "./node-process.js";
import { type RpcProxy, startRpcProxy } from "./rpc-proxy.js";

/** topic0 of `NewTrigger(bytes)`. */
export const NEW_TRIGGER_TOPIC =
  "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68";

/** One operator: its node process, home, ports and keys. */
export interface Operator {
  index: number;
  home: string;
  port: number;
  p2pPort: number;
  /** The running node; undefined before the first start. */
  node: NodeProcess | undefined;
  /** Its own RPC proxy in front of anvil (with `rpcProxies`). */
  proxy: RpcProxy | undefined;
  /** The account its result transactions are sent from (`aggregator_evm_credential`). */
  sender: Address;
  /** Its signing key for the service. */
  signer: Address;
  /** The account its Cosmos result transactions are sent from (with `cosmos`). */
  cosmosSender: string | undefined;
}

/** What `startOperatorNetwork` builds. */
export interface OperatorNetworkOptions {
  /** Workflow id -> operator component fixture; default `{default: "square"}`. */
  workflows?: Record<string, string>;
  /** Quorum as numerator/denominator of the total weight; default 2/3. */
  quorum?: { numerator: bigint; denominator: bigint };
  /** Put a JSON-RPC proxy in front of anvil for each node. */
  rpcProxies?: boolean;
  /**
   * Workflow id -> its handler: `simple` (SimpleSubmit, refuses a replayed event; default) or
   * `replay-accepting` (shaped like WAVS's example handler, lands every valid call).
   */
  handlers?: Record<string, "simple" | "replay-accepting">;
  /** Keys of every node's `aggregator` config table (e.g. `settle_ms`); defaults otherwise. */
  aggregator?: Record<string, number>;
  /** More `[default]` lines of operator `i`'s wavs.toml, given every operator's HTTP port. */
  extraToml?: (i: number, httpPorts: readonly number[]) => string;
  /**
   * A local wasmd chain every node watches; workflows named in `cosmosWorkflows` are
   * triggered by its trigger contract's `new-message` event instead of an EVM contract.
   */
  cosmos?: TestCosmos | undefined;
  cosmosWorkflows?: readonly string[] | undefined;
  /**
   * Workflow id -> a handler on the `cosmos` chain instead of the EVM one: our CosmWasm handler
   * (`cosmos`, refuses a replayed event) or the same accepting replays as WAVS's mock handler
   * (`cosmos-replay-accepting`). Such handlers validate against one CosmWasm service manager
   * with every operator's signing key at weight 1 and the network's quorum; every node gets a
   * funded `aggregator_cosmos_credential` (unfunded: `cosmosUnfunded`, fund it later).
   */
  cosmosHandlers?: Record<string, "cosmos" | "cosmos-replay-accepting"> | undefined;
  /** Leave the nodes' Cosmos sending accounts without funds. */
  cosmosUnfunded?: boolean | undefined;
  /**
   * Manage the service with the Cosmos manager of `cosmosHandlers` (its `wavs_service_uri`,
   * its signing keys) instead of the EVM one.
   */
  cosmosManaged?: boolean | undefined;
  /** The operators that get an `aggregator_cosmos_credential` (default: every one). */
  cosmosSenders?: readonly number[] | undefined;
}

/** A result transaction mined on a workflow's submit contract. */
export interface ResultTransaction {
  hash: Hex;
  from: Address;
  status: "success" | "reverted";
  block: bigint;
}

/** The running network. */
export interface OperatorNetwork {
  anvil: Anvil;
  ops: Operator[];
  serviceId: string;
  serviceManager: Address;
  /** The trigger and submit contracts of a workflow. */
  contracts(workflowId?: string): { trigger: Address; submit: Address };
  /** Start (or restart) operator `i`'s node on its home; resolves once its HTTP API answers. */
  start(i: number): Promise<void>;
  /** Wait until every running node is connected to every other running node. */
  waitForMesh(): Promise<void>;
  /** `addTrigger(input)` on the workflow's trigger contract; returns the trigger id. */
  trigger(input: string, workflowId?: string): Promise<bigint>;
  /** The data stored by the workflow's submit contract for a trigger id, as text. */
  resultFor(triggerId: bigint, workflowId?: string): Promise<string | undefined>;
  /** Every transaction mined on the workflow's submit contract, with its receipt status. */
  resultTransactions(workflowId?: string): Promise<ResultTransaction[]>;
  /** With `cosmosHandlers`: the workflow's Cosmos handler and the manager it validates with. */
  cosmosContracts(workflowId: string): { handler: string; manager: string };
  /** The data a workflow's Cosmos handler stored for a trigger id, as text. */
  cosmosResultFor(triggerId: bigint | number, workflowId: string): Promise<string | undefined>;
  /** Every transaction committed on the workflow's Cosmos handler (tx_search). */
  cosmosResultTransactions(workflowId: string): Promise<CosmosContractTransaction[]>;
  /** GET /services/{service_id}/aggregations of operator `i`'s node. */
  aggregations(i: number): Promise<AggregationRecord[]>;
  /** Stop every node and proxy, remove the homes, stop anvil. */
  close(): Promise<void>;
}

/** Each running node's p2p status and its last p2p log lines, for a failed mesh wait. */
async function meshReport(ops: Operator[]): Promise<string> {
  const parts = await Promise.all(
    ops.map(async (op, i) => {
      if (!isRunning(op)) return `operator ${i}: not running`;
      const status = await api(`${op.node!.url}/p2p/status`, "GET").then(
        (r) => r.text,
        (e: unknown) => String(e),
      );
      const lines = op.node!.logs.filter((l) => /p2p|peer|gossip|dial|connection/i.test(l));
      return `operator ${i}: ${status}\n  ${lines.slice(-15).join("\n  ")}`;
    }),
  );
  return parts.join("\n");
}

/** Whether operator `op`'s node process is running (started, not exited or killed). */
export function isRunning(op: Operator): boolean {
  return (
    op.node !== undefined && op.node.child.exitCode === null && op.node.child.signalCode === null
  );
}

/**
 * Start anvil, the contracts, three nodes and the service; see the module comment. A node that
 * finds one of its ports taken by another process meanwhile (EADDRINUSE) makes the whole
 * network start again on other ports, up to three times.
 */
export async function startOperatorNetwork(
  options: OperatorNetworkOptions = {},
): Promise<OperatorNetwork> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOperatorNetworkOnce(options);
    } catch (err) {
      if (attempt >= 3 || !String((err as Error).message).includes("EADDRINUSE")) throw err;
    }
  }
}

async function startOperatorNetworkOnce(options: OperatorNetworkOptions): Promise<OperatorNetwork> {
  const workflowFixtures = options.workflows ?? { default: "square" };
  const anvil = await startAnvil();
  const ops: Operator[] = [];
  const homes: string[] = [];
  const closeAll = async () => {
    for (const op of ops) {
      if (isRunning(op)) await op.node!.stop();
      await op.proxy?.close();
    }
    for (const home of homes) rmSync(home, { recursive: true, force: true });
    await anvil.stop();
  };
  try {
    const admin = anvil.clients(0);
    const handlerOf = (workflowId: string) => options.handlers?.[workflowId] ?? "simple";
    const firstWorkflow = Object.keys(workflowFixtures)[0]!;
    const set = await deployServiceSet(admin, {
      quorumNumerator: options.quorum?.numerator ?? 2n,
      quorumDenominator: options.quorum?.denominator ?? 3n,
      handler: handlerOf(firstWorkflow),
    });
    const contracts = new Map<string, { trigger: Address; submit: Address }>();
    for (const [i, workflowId] of Object.keys(workflowFixtures).entries()) {
      contracts.set(
        workflowId,
        i === 0
          ? { trigger: set.trigger, submit: set.submit }
          : {
              trigger: await deployContract(admin, simpleTriggerAbi, simpleTriggerBytecode, []),
              submit:
                handlerOf(workflowId) === "replay-accepting"
                  ? await deployContract(
                      admin,
                      replayAcceptingSubmitAbi,
                      replayAcceptingSubmitBytecode,
                      [set.serviceManager],
                    )
                  : await deployContract(admin, simpleSubmitAbi, simpleSubmitBytecode, [
                      set.serviceManager,
                    ]),
            },
      );
    }
    const contractsOf = (workflowId = Object.keys(workflowFixtures)[0]!) => {
      const c = contracts.get(workflowId);
      if (!c) throw new Error(`no workflow ${workflowId}`);
      return c;
    };

    const aggregatorKeys = Object.entries(options.aggregator ?? {});
    const aggregatorToml =
      aggregatorKeys.length === 0
        ? ""
        : `aggregator = { ${aggregatorKeys.map(([k, v]) => `${k} = ${v}`).join(", ")} }`;
    const { cosmos } = options;
    const cosmosToml = cosmos ? cosmosChainToml(cosmos) : "";
    // Cosmos handlers: one manager for all of them, one handler per workflow
    const cosmosContracts = new Map<string, { handler: string; manager: string }>();
    let cosmosManager: string | undefined;
    for (const [workflowId, kind] of Object.entries(options.cosmosHandlers ?? {})) {
      if (!cosmos) throw new Error("cosmosHandlers needs a cosmos chain");
      cosmosManager ??= await cosmos.wallet.deploy(
        cosmwasmCode("service_manager"),
        {
          quorum_numerator: String(options.quorum?.numerator ?? 2n),
          quorum_denominator: String(options.quorum?.denominator ?? 3n),
        },
        "three-operators manager",
      );
      const handler = await cosmos.wallet.deploy(
        cosmwasmCode("handler"),
        { service_manager: cosmosManager, accept_replays: kind === "cosmos-replay-accepting" },
        `three-operators handler ${workflowId}`,
      );
      cosmosContracts.set(workflowId, { handler, manager: cosmosManager });
    }
    // each operator's Cosmos sending account, funded before any port is picked: the ports
    // stay free only as long as nothing else on the machine takes them
    const cosmosCredentials = [0, 1, 2].map((i) =>
      cosmos && (options.cosmosSenders?.includes(i) ?? true)
        ? generateMnemonic(english)
        : undefined,
    );
    const cosmosSenders = cosmosCredentials.map((c) =>
      c === undefined ? undefined : cosmosAddress(cosmosKey(c), "wasm"),
    );
    if (cosmos && !options.cosmosUnfunded) {
      for (const sender of cosmosSenders)
        if (sender) await cosmos.wallet.send(sender, "100000000", "ustake");
    }
    const p2pPorts = [await freePort(), await freePort(), await freePort()];
    const httpPorts = [await freePort(), await freePort(), await freePort()];
    for (let i = 0; i < 3; i++) {
      const home = mkdtempSync(join(tmpdir(), `wavs-op${i}-`));
      homes.push(home);
      const proxy = options.rpcProxies ? await startRpcProxy(anvil.rpcUrl) : undefined;
      // every operator knows the others' addresses, as operators of one service would
      const bootstrap = p2pPorts
        .filter((_, j) => j !== i)
        .map((p) => `"/ip4/127.0.0.1/tcp/${p}"`)
        .join(", ");
      const credential = anvil.privateKeys[i + 1]!;
      const cosmosCredential = cosmosCredentials[i];
      const cosmosSender = cosmosSenders[i];
      const endpoints = proxy
        ? `http_endpoint = "${proxy.url}"\nws_endpoints = ["${proxy.wsUrl}"]`
        : `http_endpoint = "${anvil.rpcUrl}"`;
      writeConfig(
        home,
        `[default]
data = "${join(home, "data")}"
signing_mnemonic = "${generateMnemonic(english)}"
aggregator_evm_credential = "${credential}"
${cosmosCredential ? `aggregator_cosmos_credential = "${cosmosCredential}"` : ""}
dev_endpoints_enabled = true
bearer_token = "${TOKEN}"
p2p = { remote = { listen_port = ${p2pPorts[i]}, bootstrap_nodes = [${bootstrap}] } }
${aggregatorToml}
${options.extraToml?.(i, httpPorts) ?? ""}

[default.chains.evm.31337]
${endpoints}
poll_interval_ms = 100
${cosmosToml}`,
      );
      ops.push({
        index: i,
        home,
        port: httpPorts[i]!,
        p2pPort: p2pPorts[i]!,
        node: undefined,
        proxy,
        sender: privateKeyToAccount(credential as Hex).address,
        signer: "0x0000000000000000000000000000000000000000",
        cosmosSender,
      });
    }
    const start = async (i: number) => {
      const op = ops[i]!;
      op.node = await startNodeProcess(op.home, op.port);
    };
    for (let i = 0; i < 3; i++) await start(i);

    const aggregatorFile = await buildFixture("aggregator-simple");
    const workflows: Record<string, unknown> = {};
    for (const [workflowId, fixture] of Object.entries(workflowFixtures)) {
      const file = await buildFixture(fixture);
      let operatorDigest = "";
      let aggregatorDigest = "";
      for (const op of ops) {
        operatorDigest = await uploadComponent(op.node!.url, file);
        aggregatorDigest = await uploadComponent(op.node!.url, aggregatorFile);
      }
      const { trigger, submit } = contractsOf(workflowId);
      const cosmosHandler = cosmosContracts.get(workflowId)?.handler;
      const onCosmos = cosmos !== undefined && options.cosmosWorkflows?.includes(workflowId);
      workflows[workflowId] = {
        trigger: onCosmos
          ? {
              cosmos_contract_event: {
                address: cosmos.trigger,
                chain: cosmos.key,
                event_type: "new-message",
              },
            }
          : {
              evm_contract_event: {
                address: trigger,
                chain: "evm:31337",
                event_hash: NEW_TRIGGER_TOPIC,
              },
            },
        component: componentJson(operatorDigest),
        submit: {
          aggregator: {
            component: componentJson(
              aggregatorDigest,
              cosmos && cosmosHandler
                ? { chain: cosmos.key, service_handler: cosmosHandler }
                : { chain: "evm:31337", service_handler: submit },
            ),
            signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
          },
        },
      };
    }
    if (options.cosmosManaged && !(cosmos && cosmosManager))
      throw new Error("cosmosManaged needs a cosmos chain and cosmosHandlers");
    const cosmosManaged =
      options.cosmosManaged && cosmos && cosmosManager
        ? { chain: cosmos.key, address: cosmosManager }
        : undefined;
    const manager = cosmosManaged
      ? { cosmos: cosmosManaged }
      : { evm: { chain: "evm:31337", address: set.serviceManager } };
    const service = { name: "three-operators", workflows, status: "active", manager };
    const stored = await api(`${ops[0]!.node!.url}/dev/services`, "POST", service);
    if (stored.status !== 200) throw new Error(`storing the service: ${stored.text}`);
    const hash = (stored.json as { hash: string }).hash;
    const uri = `${ops[0]!.node!.url}/dev/services/${hash}`;
    if (cosmos && cosmosManaged) {
      await cosmos.wallet.execute(cosmosManaged.address, [
        { wavs_set_service_uri: { service_uri: uri } },
      ]);
    } else {
      await setServiceURI(admin, set.serviceManager, uri);
    }
    let serviceId = "";
    for (const op of ops) {
      const added = await api(`${op.node!.url}/services`, "POST", { service_manager: manager });
      if (added.status !== 204) throw new Error(`registering the service: ${added.text}`);
      const info = (await api(`${op.node!.url}/info`, "GET")).json as {
        services: { service_id: string; signer: Address }[];
      };
      const entry = info.services[0]!;
      serviceId = entry.service_id;
      op.signer = getAddress(entry.signer);
      await waitForSuccess(
        admin,
        await registerOperator(admin, set.serviceManager, {
          operator: anvil.walletClient(op.index + 4).account.address,
          signingKey: op.signer,
          weight: 1n,
        }),
      );
    }
    // validate() reads weights at the previous block; anvil mines only on transactions
    await anvil.mine(1);
    if (cosmos && cosmosManager) {
      const tx = await cosmos.wallet.execute(
        cosmosManager,
        ops.map((op) => ({
          set_signing_key: {
            operator: anvil.walletClient(op.index + 4).account.address,
            signing_key: op.signer,
            weight: "1",
          },
        })),
      );
      // weights count from the block after registration: wait until one is past it
      await waitUntil(
        async () => ((await cosmos.height()) > tx.height + 1 ? true : undefined),
        "a Cosmos block after the key registration",
        60_000,
      );
    }

    // connected, and each peer known subscribed to the service's gossip: a submission published
    // before that reaches the others only by catch-up, a second later (`wavs dev` waits the same)
    const waitForMesh = async () => {
      try {
        await waitUntil(
          async () => {
            const running = ops.filter(isRunning);
            const peers = await Promise.all(
              running.map((op) => connectedPeers({ url: op.node!.url, token: TOKEN })),
            );
            return peers.every((n) => n.subscribed >= running.length - 1) ? true : undefined;
          },
          "p2p mesh and gossip subscriptions",
          60_000,
        );
      } catch (err) {
        // a mesh that does not form is rare and load-dependent: say what each node saw
        throw new Error(`${(err as Error).message}\n${await meshReport(ops)}`, { cause: err });
      }
    };
    await waitForMesh();

    return {
      anvil,
      ops,
      serviceId,
      serviceManager: set.serviceManager,
      contracts: contractsOf,
      start,
      waitForMesh,
      async trigger(input, workflowId) {
        const clients = anvil.clients(0);
        const txHash = await clients.walletClient.writeContract({
          address: contractsOf(workflowId).trigger,
          abi: simpleTriggerAbi,
          functionName: "addTrigger",
          args: [toHex(input)],
          account: clients.walletClient.account,
          chain: clients.walletClient.chain,
        });
        const receipt = await waitForSuccess(clients, txHash);
        const log = receipt.logs.find((l) => l.topics[0] === NEW_TRIGGER_TOPIC)!;
        return decodeNewTriggerEvent(hexToBytes(log.data)).triggerId;
      },
      async resultFor(triggerId, workflowId) {
        const client = anvil.publicClient();
        const { submit } = contractsOf(workflowId);
        const valid = await client.readContract({
          address: submit,
          abi: simpleSubmitAbi,
          functionName: "isValidTriggerId",
          args: [triggerId],
        });
        if (!valid) return undefined;
        const data = (await client.readContract({
          address: submit,
          abi: simpleSubmitAbi,
          functionName: "getDataWithId",
          args: [triggerId],
        })) as { data: Hex };
        return Buffer.from(data.data.slice(2), "hex").toString();
      },
      async resultTransactions(workflowId) {
        const client = anvil.publicClient();
        const { submit } = contractsOf(workflowId);
        const head = await client.getBlockNumber();
        const out: ResultTransaction[] = [];
        for (let b = 0n; b <= head; b++) {
          const block = await client.getBlock({ blockNumber: b, includeTransactions: true });
          for (const tx of block.transactions) {
            if (tx.to?.toLowerCase() !== submit.toLowerCase()) continue;
            const receipt = await client.getTransactionReceipt({ hash: tx.hash });
            out.push({
              hash: tx.hash,
              from: getAddress(tx.from),
              status: receipt.status,
              block: b,
            });
          }
        }
        return out;
      },
      cosmosContracts(workflowId) {
        const c = cosmosContracts.get(workflowId);
        if (!c) throw new Error(`workflow ${workflowId} has no Cosmos handler`);
        return c;
      },
      async cosmosResultFor(triggerId, workflowId) {
        if (!cosmos) throw new Error("no cosmos chain");
        const { handler } = cosmosContracts.get(workflowId)!;
        const stored = (await cosmos.wallet.query(handler, {
          trigger_data: { trigger_id: String(triggerId) },
        })) as { data: string } | null;
        return stored ? Buffer.from(stored.data, "base64").toString() : undefined;
      },
      async cosmosResultTransactions(workflowId) {
        if (!cosmos) throw new Error("no cosmos chain");
        return cosmos.handlerTransactions(cosmosContracts.get(workflowId)!.handler);
      },
      async aggregations(i) {
        const res = await api(
          `${ops[i]!.node!.url}/services/${serviceId}/aggregations?limit=1000`,
          "GET",
        );
        if (res.status !== 200) throw new Error(`aggregations of node ${i}: ${res.text}`);
        return (res.json as { aggregations: AggregationRecord[] }).aggregations;
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll().catch(() => undefined);
    throw err;
  }
}

/**
 * For a describe block: a local wasmd chain (`chainId`) and an operator network watching it,
 * started before its tests and stopped after them. Read `cosmos` and `net` inside the tests.
 */
export function useCosmosOperatorNetwork(
  chainId: string,
  options: Omit<OperatorNetworkOptions, "cosmos"> = {},
): { readonly cosmos: TestCosmos; readonly net: OperatorNetwork } {
  let cosmos: TestCosmos | undefined;
  let net: OperatorNetwork | undefined;
  beforeAll(async () => {
    cosmos = await startTestCosmos(chainId);
    net = await startOperatorNetwork({ ...options, cosmos });
  }, WASMD_HOOK_TIMEOUT);
  afterAll(async () => {
    await net?.close();
    await cosmos?.stop();
  });
  return {
    get cosmos() {
      if (!cosmos) throw new Error("the Cosmos chain is not started");
      return cosmos;
    },
    get net() {
      if (!net) throw new Error("the operator network is not started");
      return net;
    },
  };
}
