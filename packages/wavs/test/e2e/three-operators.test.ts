import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Anvil,
  deployServiceSet,
  registerOperator,
  type ServiceSet,
  setServiceURI,
  simpleSubmitAbi,
  simpleTriggerAbi,
  startAnvil,
  waitForSuccess,
} from "@wavs-ts/contracts";
import { buildFixture, decodeNewTriggerEvent } from "@wavs-ts/sdk";
import { type Address, hexToBytes, toHex } from "viem";
import { english, generateMnemonic } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, freePort, TOKEN, uploadComponent, waitUntil } from "../helpers/node-network.js";
import { type NodeProcess, startNodeProcess, writeConfig } from "../helpers/node-process.js";

const NEW_TRIGGER_TOPIC = "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68";

interface Operator {
  home: string;
  port: number;
  p2pPort: number;
  node: NodeProcess | undefined;
}

describe("three operators, 2-of-3 quorum, P2P on loopback (real anvil, real node processes)", () => {
  let anvil: Anvil;
  let set: ServiceSet;
  const ops: Operator[] = [];

  async function start(i: number): Promise<void> {
    const op = ops[i]!;
    op.node = await startNodeProcess(op.home, op.port);
  }

  async function resultFor(triggerId: bigint): Promise<string | undefined> {
    const client = anvil.publicClient();
    const valid = await client.readContract({
      address: set.submit,
      abi: simpleSubmitAbi,
      functionName: "isValidTriggerId",
      args: [triggerId],
    });
    if (!valid) return undefined;
    const data = (await client.readContract({
      address: set.submit,
      abi: simpleSubmitAbi,
      functionName: "getDataWithId",
      args: [triggerId],
    })) as { data: `0x${string}` };
    return Buffer.from(data.data.slice(2), "hex").toString();
  }

  /** Transactions sent to the submit contract in all blocks so far. */
  async function submitTransactions(): Promise<number> {
    const client = anvil.publicClient();
    const head = await client.getBlockNumber();
    let n = 0;
    for (let b = 0n; b <= head; b++) {
      const block = await client.getBlock({ blockNumber: b, includeTransactions: true });
      n += block.transactions.filter(
        (t) => t.to?.toLowerCase() === set.submit.toLowerCase(),
      ).length;
    }
    return n;
  }

  async function trigger(input: string): Promise<bigint> {
    const clients = anvil.clients(0);
    const hash = await clients.walletClient.writeContract({
      address: set.trigger,
      abi: simpleTriggerAbi,
      functionName: "addTrigger",
      args: [toHex(input)],
      account: clients.walletClient.account,
      chain: clients.walletClient.chain,
    });
    const receipt = await waitForSuccess(clients, hash);
    const log = receipt.logs.find((l) => l.topics[0] === NEW_TRIGGER_TOPIC)!;
    return decodeNewTriggerEvent(hexToBytes(log.data)).triggerId;
  }

  beforeAll(async () => {
    anvil = await startAnvil();
    set = await deployServiceSet(anvil.clients(0), { quorumNumerator: 2n, quorumDenominator: 3n });
    const p2pPorts = [await freePort(), await freePort(), await freePort()];
    for (let i = 0; i < 3; i++) {
      const home = mkdtempSync(join(tmpdir(), `wavs-op${i}-`));
      // every operator knows the others' addresses, as operators of one service would
      const bootstrap = p2pPorts
        .filter((_, j) => j !== i)
        .map((p) => `"/ip4/127.0.0.1/tcp/${p}"`)
        .join(", ");
      writeConfig(
        home,
        `[default]
data = "${join(home, "data")}"
signing_mnemonic = "${generateMnemonic(english)}"
aggregator_evm_credential = "${anvil.privateKeys[i + 1]}"
dev_endpoints_enabled = true
bearer_token = "${TOKEN}"
p2p = { remote = { listen_port = ${p2pPorts[i]}, bootstrap_nodes = [${bootstrap}] } }

[default.chains.evm.31337]
http_endpoint = "${anvil.rpcUrl}"
poll_interval_ms = 100
`,
      );
      ops.push({ home, port: await freePort(), p2pPort: p2pPorts[i]!, node: undefined });
    }
    for (let i = 0; i < 3; i++) await start(i);
    const square = await buildFixture("square");
    const aggregator = await buildFixture("aggregator-simple");
    const digests: string[] = [];
    for (const op of ops) {
      digests[0] = await uploadComponent(op.node!.url, square);
      digests[1] = await uploadComponent(op.node!.url, aggregator);
    }
    const component = (digest: string, config: Record<string, string> = {}) => ({
      source: { digest },
      permissions: {},
      fuel_limit: null,
      time_limit_seconds: null,
      config,
      env_keys: [],
    });
    const manager = { evm: { chain: "evm:31337", address: set.serviceManager } };
    const service = {
      name: "square-2-of-3",
      workflows: {
        default: {
          trigger: {
            evm_contract_event: {
              address: set.trigger,
              chain: "evm:31337",
              event_hash: NEW_TRIGGER_TOPIC,
            },
          },
          component: component(digests[0]!),
          submit: {
            aggregator: {
              component: component(digests[1]!, {
                chain: "evm:31337",
                service_handler: set.submit,
              }),
              signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
            },
          },
        },
      },
      status: "active",
      manager,
    };
    const stored = await api(`${ops[0]!.node!.url}/dev/services`, "POST", service);
    const hash = (stored.json as { hash: string }).hash;
    await setServiceURI(
      anvil.clients(0),
      set.serviceManager,
      `${ops[0]!.node!.url}/dev/services/${hash}`,
    );
    for (const [i, op] of ops.entries()) {
      const added = await api(`${op.node!.url}/services`, "POST", { service_manager: manager });
      expect(added.status, added.text).toBe(204);
      const signer = (
        await api(`${op.node!.url}/services/signer`, "POST", { service_manager: manager })
      ).json as {
        secp256k1: { evm_address: Address };
      };
      await waitForSuccess(
        anvil.clients(0),
        await registerOperator(anvil.clients(0), set.serviceManager, {
          operator: anvil.walletClient(i + 4).account.address,
          signingKey: signer.secp256k1.evm_address,
          weight: 1n,
        }),
      );
    }
    // the mesh: every node sees the two others
    await waitUntil(
      async () => {
        const peers = await Promise.all(
          ops.map(
            async (op) =>
              (
                (await api(`${op.node!.url}/p2p/status`, "GET")).json as {
                  connected_peers: string[];
                }
              ).connected_peers.length,
          ),
        );
        return peers.every((n) => n >= 2) ? true : undefined;
      },
      "p2p mesh",
      60_000,
    );
  }, 600_000);

  afterAll(async () => {
    for (const op of ops) {
      if (op.node && op.node.child.exitCode === null) await op.node.stop();
      rmSync(op.home, { recursive: true, force: true });
    }
    await anvil?.stop();
  });

  it("lands each result with exactly one transaction", async () => {
    const id = await trigger('{"x":3}');
    const data = await waitUntil(() => resultFor(id), "the result on-chain", 120_000);
    expect(data).toBe('{"y":9}');
    // give the others their grace period's worth of chances to send a duplicate
    await new Promise((r) => setTimeout(r, 3000));
    expect(await submitTransactions()).toBe(1);
  }, 180_000);

  it("still lands with one operator down; with two down it waits, and lands when one returns", async () => {
    await ops[2]!.node!.kill9();
    const id = await trigger('{"x":4}');
    expect(await waitUntil(() => resultFor(id), "the result with one operator down", 120_000)).toBe(
      '{"y":16}',
    );

    await ops[1]!.node!.kill9();
    const pending = await trigger('{"x":5}');
    await new Promise((r) => setTimeout(r, 5000));
    expect(await resultFor(pending)).toBeUndefined();
    await start(1);
    expect(
      await waitUntil(() => resultFor(pending), "the pending result after a restart", 180_000),
    ).toBe('{"y":25}');
  }, 400_000);
});
