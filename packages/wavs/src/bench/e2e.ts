/**
 * `npm run bench:e2e`: three operator nodes (real `wavs node` processes, P2P on loopback) with
 * a 2-of-3 quorum and the square example component: latency from the trigger transaction
 * being mined to the result transaction being mined at a steady 20 events/s, sustained
 * events/s for a burst, and result transactions per event. Ends with one JSON line.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  deployServiceSet,
  registerOperator,
  setServiceURI,
  simpleSubmitAbi,
  simpleTriggerAbi,
  startAnvil,
  waitForSuccess,
} from "@wavs-ts/contracts";
import { buildFixture, decodeNewTriggerEvent } from "@wavs-ts/sdk";
import { type Address, hexToBytes, toHex } from "viem";
import { english, generateMnemonic } from "viem/accounts";

const BIN = fileURLToPath(new URL("../../bin/wavs.js", import.meta.url));
const TOPIC = "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68";
const TOKEN = "bench-token";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function http(
  url: string,
  method: string,
  body?: unknown,
  raw?: Uint8Array,
): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (raw) headers["content-type"] = "application/wasm";
  else if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, {
    method,
    headers,
    body: raw ? Buffer.from(raw) : body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function startNode(home: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, "node", "--home", home, "--port", String(port)], {
    stdio: ["ignore", "ignore", "ignore"],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status < 500) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("node did not start");
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const anvil = await startAnvil();
  const set = await deployServiceSet(anvil.clients(0), {
    quorumNumerator: 2n,
    quorumDenominator: 3n,
  });
  const homes: string[] = [];
  const children: ChildProcess[] = [];
  try {
    const p2p = [await freePort(), await freePort(), await freePort()];
    const ports = [await freePort(), await freePort(), await freePort()];
    for (let i = 0; i < 3; i++) {
      const home = mkdtempSync(join(tmpdir(), `wavs-bench-e2e-${i}-`));
      homes.push(home);
      const peers = p2p.filter((_, j) => j !== i).map((p) => `"/ip4/127.0.0.1/tcp/${p}"`);
      writeFileSync(
        join(home, "wavs.toml"),
        `[default]
data = "${join(home, "data")}"
signing_mnemonic = "${generateMnemonic(english)}"
aggregator_evm_credential = "${anvil.privateKeys[i + 1]}"
dev_endpoints_enabled = true
bearer_token = "${TOKEN}"
log_level = "warn"
p2p = { remote = { listen_port = ${p2p[i]}, bootstrap_nodes = [${peers.join(", ")}] } }

[default.chains.evm.31337]
ws_endpoints = ["${anvil.rpcUrl.replace("http", "ws")}"]
http_endpoint = "${anvil.rpcUrl}"
`,
      );
      children.push(await startNode(home, ports[i]!));
    }
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    const square = readFileSync(await buildFixture("square"));
    const aggregator = readFileSync(await buildFixture("aggregator-simple"));
    let digests: string[] = [];
    for (const url of urls) {
      digests = [
        ((await http(`${url}/dev/components`, "POST", undefined, square)) as { digest: string })
          .digest,
        ((await http(`${url}/dev/components`, "POST", undefined, aggregator)) as { digest: string })
          .digest,
      ];
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
    const { hash } = (await http(`${urls[0]}/dev/services`, "POST", {
      name: "bench-e2e",
      workflows: {
        default: {
          trigger: {
            evm_contract_event: { address: set.trigger, chain: "evm:31337", event_hash: TOPIC },
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
    })) as { hash: string };
    await setServiceURI(anvil.clients(0), set.serviceManager, `${urls[0]}/dev/services/${hash}`);
    for (const [i, url] of urls.entries()) {
      await http(`${url}/services`, "POST", { service_manager: manager });
      const signer = (await http(`${url}/services/signer`, "POST", {
        service_manager: manager,
      })) as {
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
    for (let i = 0; i < 100; i++) {
      const peers = await Promise.all(
        urls.map(
          async (u) =>
            ((await http(`${u}/p2p/status`, "GET")) as { connected_peers: string[] })
              .connected_peers.length,
        ),
      );
      if (peers.every((n) => n >= 2)) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    const client = anvil.publicClient();
    const wallet = anvil.walletClient(0);
    const landed = new Map<bigint, number>();
    const emit = async (x: number): Promise<{ id: bigint; mined: number }> => {
      const txHash = await wallet.writeContract({
        address: set.trigger,
        abi: simpleTriggerAbi,
        functionName: "addTrigger",
        args: [toHex(JSON.stringify({ x }))],
      });
      const receipt = await client.waitForTransactionReceipt({ hash: txHash, pollingInterval: 5 });
      const mined = performance.now();
      const log = receipt.logs.find((l) => l.topics[0] === TOPIC)!;
      return { id: decodeNewTriggerEvent(hexToBytes(log.data)).triggerId, mined };
    };
    const watch = async (ids: bigint[]) => {
      const pending = new Set(ids);
      while (pending.size > 0) {
        for (const id of [...pending]) {
          const ok = await client.readContract({
            address: set.submit,
            abi: simpleSubmitAbi,
            functionName: "isValidTriggerId",
            args: [id],
          });
          if (ok) {
            landed.set(id, performance.now());
            pending.delete(id);
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };

    // steady 20 events/s for 10 s
    const steady: { id: bigint; mined: number }[] = [];
    const steadyIds: bigint[] = [];
    const watcher = (async () => {
      while (steady.length < 200 || steadyIds.some((id) => !landed.has(id))) {
        await watch(steadyIds.filter((id) => !landed.has(id)));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      const e = await emit(i);
      steady.push(e);
      steadyIds.push(e.id);
      await new Promise((r) => setTimeout(r, Math.max(0, 50 - (performance.now() - started))));
    }
    await watcher;
    const latencies = steady.map((e) => landed.get(e.id)! - e.mined).sort((a, b) => a - b);
    console.log(
      `latency at 20 events/s (200 events): p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms`,
    );

    // burst: as fast as the trigger contract accepts transactions
    const burst: bigint[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) burst.push((await emit(1000 + i)).id);
    await watch(burst);
    const seconds = (performance.now() - t0) / 1000;
    const eventsPerSecond = burst.length / seconds;
    console.log(
      `sustained: ${burst.length} events in ${seconds.toFixed(1)} s = ${eventsPerSecond.toFixed(1)} events/s`,
    );

    const head = await client.getBlockNumber();
    let txs = 0;
    for (let b = 0n; b <= head; b++) {
      const block = await client.getBlock({ blockNumber: b, includeTransactions: true });
      txs += block.transactions.filter(
        (t) => t.to?.toLowerCase() === set.submit.toLowerCase(),
      ).length;
    }
    const events = steady.length + burst.length;
    console.log(`result transactions: ${txs} for ${events} events`);
    console.log(
      JSON.stringify({
        bench: "e2e",
        events_per_s: Number(eventsPerSecond.toFixed(1)),
        p50_ms: Math.round(pct(latencies, 50)),
        p99_ms: Math.round(pct(latencies, 99)),
        tx_per_event: Number((txs / events).toFixed(3)),
      }),
    );
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    await anvil.stop();
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
