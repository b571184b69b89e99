/**
 * `npm run bench:e2e`: three operator nodes (real `wavs node` processes, P2P on loopback) with
 * a 2-of-3 quorum on anvil (automine), once for each component pair: **compiled** (the square
 * and aggregator components as hand-written WAT, standing in for Rust builds) and **ts** (the
 * square TypeScript example and aggregator-simple). For each: one event at a time on an idle
 * network, latency from the trigger transaction being mined to the result transaction being
 * mined at a steady 20 events/s, sustained events/s for a burst, result transactions per
 * event (every result's data is checked too), CPU per event of each node and of anvil, and
 * the nodes' peak memory. First, anvil alone (no node) mines the same transactions as fast
 * as it can: the chain's own ceiling on this machine. After each pair, anvil alone takes the
 * steady phase's transactions again, at its pace and from its chain height (anvil's cost per
 * block grows with the chain's length): the CPU per event anvil spends without the nodes. Ends
 * with one JSON line per pair.
 *
 * Both ends are observed the way a dApp would: one `eth_subscribe("logs")` on the trigger and
 * submit contracts, time taken when each log arrives. Trigger transactions are signed here
 * with our own nonces and sent without waiting for receipts. Twenty warm-up events go first
 * (every worker instantiates the components, every node learns the operators).
 *
 * Diagnostics (environment): BENCH_E2E_BURST (burst size, default 300), BENCH_E2E_RATE (steady
 * rate, default 20), BENCH_E2E_POOL (engine_pool_size, default the node's), BENCH_E2E_LOGS=<dir> and
 * BENCH_E2E_LOG_LEVEL (node logs), BENCH_E2E_NODE_FLAGS (Node.js flags for the nodes, e.g.
 * --cpu-prof), BENCH_E2E_COUNT_RPC=1 (JSON-RPC calls per event by method), BENCH_E2E_PAIRS
 * (which pairs, default "compiled,ts").
 *
 * Over 400 lines on purpose: a benchmark reads best as one script, its phases top to bottom.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
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
import { buildFixture, buildWatComponent, decodeNewTriggerEvent } from "@wavs-ts/sdk";
import { type Address, createPublicClient, type Hex, hexToBytes, webSocket } from "viem";
import { english, generateMnemonic, privateKeyToAccount } from "viem/accounts";
import { WebSocket, WebSocketServer } from "ws";

import { devServiceJson, NEW_TRIGGER_TOPIC, pickPorts } from "../devnet/index.js";
import { NODE_MALLOC_ENV } from "../internal/index.js";
import { anvilCeiling, anvilPaced } from "./anvil-ceiling.js";
import { pct } from "./percentile.js";
import { cpuSeconds, memoryMb } from "./process-usage.js";
import { signAddTrigger } from "./trigger-tx.js";

const BIN = fileURLToPath(new URL("../../bin/wavs.js", import.meta.url));
const WAT_DIR = fileURLToPath(new URL("../../test/fixtures/wat/", import.meta.url));
const TOKEN = "bench-token";

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

// BENCH_E2E_LOGS=<dir>: each node's log goes to <dir>/node-<i>.log (level BENCH_E2E_LOG_LEVEL)
const LOG_DIR = process.env.BENCH_E2E_LOGS;
const LOG_LEVEL = process.env.BENCH_E2E_LOG_LEVEL ?? "warn";
// BENCH_E2E_POOL: engine_pool_size of each node (default: the node's own default)
const POOL_SIZE = process.env.BENCH_E2E_POOL;
// BENCH_E2E_NODE_FLAGS: extra Node.js flags for the nodes (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p")
/** Extra anvil flags (diagnostics), space separated. */
const ANVIL_ARGS = (process.env.BENCH_E2E_ANVIL_ARGS ?? "").split(" ").filter((f) => f !== "");
const NODE_FLAGS = (process.env.BENCH_E2E_NODE_FLAGS ?? "").split(" ").filter((f) => f !== "");

async function startNode(home: string, port: number, name: string): Promise<ChildProcess> {
  const out = LOG_DIR ? openSync(join(LOG_DIR, `node-${name}.log`), "w") : "ignore";
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, BIN, "node", "--home", home, "--port", String(port)],
    // as `wavs dev` and the operator guide start a node
    { stdio: ["ignore", out, out], env: { ...NODE_MALLOC_ENV, ...process.env } },
  );
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

/** One JSON-RPC call or answer, as far as the counting proxy reads it. */
interface RpcMessage {
  id?: unknown;
  method?: string;
  params?: unknown[];
  result?: unknown;
  error?: unknown;
}

/** The messages of a JSON-RPC body (one or a batch); none when it is not JSON. */
function rpcMessages(text: string): RpcMessage[] {
  try {
    const parsed = JSON.parse(text) as RpcMessage | RpcMessage[];
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
}

/** Calls whose answers are worth telling apart: a look that found nothing was a wasted call. */
const LOOKS = new Set(["eth_getTransactionReceipt", "eth_getTransactionByHash", "eth_call"]);

/** What an answer to a look said: ok or reverted (a call); found, pending (not mined) or null. */
function outcomeOf(method: string, answer: RpcMessage): string {
  if (method === "eth_call") return answer.error === undefined ? "ok" : "reverted";
  if (answer.error !== undefined) return "error";
  if (answer.result === null) return "null";
  const block = (answer.result as { blockNumber?: unknown } | undefined)?.blockNumber;
  return block === null ? "pending" : "found";
}

/**
 * BENCH_E2E_COUNT_RPC=1: the nodes' JSON-RPC, over HTTP and over WebSocket, goes through this
 * counting proxy, and the calls per event by method are printed at the end, with what the
 * answers to receipts, transaction lookups and calls said (a diagnostic; it costs some CPU
 * itself). Subscriptions count once, when made; what they push is not counted.
 */
async function countingProxy(target: string): Promise<{
  url: string;
  wsUrl: string;
  counts: Map<string, number>;
  outcomes: Map<string, number>;
}> {
  const counts = new Map<string, number>();
  const outcomes = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  /** Count the calls of a body; returns the method of each look by id, to match its answer. */
  const count = (body: string, looks: Map<unknown, string>) => {
    for (const call of rpcMessages(body)) {
      const method = call.method ?? "?";
      const full = method === "eth_getBlockByNumber" && call.params?.[1] === true;
      add(counts, full ? `${method} (with transactions)` : method);
      if (LOOKS.has(method) && call.id !== undefined) looks.set(call.id, method);
    }
  };
  const answered = (body: string, looks: Map<unknown, string>) => {
    for (const answer of rpcMessages(body)) {
      const method = looks.get(answer.id);
      if (method === undefined) continue;
      looks.delete(answer.id);
      add(outcomes, `${method} ${outcomeOf(method, answer)}`);
    }
  };
  const server = createHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const looks = new Map<unknown, string>();
    count(body.toString(), looks);
    const answer = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const out = Buffer.from(await answer.arrayBuffer());
    answered(out.toString(), looks);
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(out);
  });
  const sockets = new WebSocketServer({ server });
  sockets.on("connection", (client) => {
    const upstream = new WebSocket(target.replace("http", "ws"));
    const early: string[] = [];
    const looks = new Map<unknown, string>();
    upstream.on("open", () => {
      for (const m of early.splice(0)) upstream.send(m);
    });
    upstream.on("message", (data) => {
      const text = data.toString();
      answered(text, looks);
      client.send(text);
    });
    upstream.on("close", () => client.close());
    upstream.on("error", () => client.close());
    client.on("message", (data) => {
      const text = data.toString();
      count(text, looks);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else early.push(text);
    });
    client.on("close", () => upstream.close());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}`, counts, outcomes };
}

/** A component pair: the operator component and the aggregator component. */
type Pair = "compiled" | "ts";

/** The two components' bytes for a pair, built by our own tools. */
async function pairComponents(pair: Pair): Promise<[Uint8Array, Uint8Array]> {
  if (pair === "ts") {
    return [
      readFileSync(await buildFixture("square")),
      readFileSync(await buildFixture("aggregator-simple")),
    ];
  }
  const dir = mkdtempSync(join(tmpdir(), "wavs-bench-e2e-wat-"));
  try {
    const build = async (name: string, world: "operator" | "aggregator") => {
      const out = join(dir, `${name}.wasm`);
      await buildWatComponent({ wat: join(WAT_DIR, `${name}.wat`), out, world });
      return readFileSync(out);
    };
    return [await build("square", "operator"), await build("aggregator-submit", "aggregator")];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What one pair's run measured: the JSON line's figures, and the steady phase's shape. */
interface PairRun {
  figures: PairFigures;
  /** The steady phase's rate and the chain's height when it started (anvil alone repeats it). */
  steady: { rate: number; fromBlock: bigint };
}

/** One pair's figures of the JSON line. */
interface PairFigures {
  events_per_s: number;
  p50_ms: number;
  p99_ms: number;
  idle_p50_ms: number;
  tx_per_event: number;
  node_cpu_ms_per_event: number;
  anvil_cpu_ms_per_event: number;
  node_rss_mb: number;
}

async function runPair(pair: Pair, burstSize: number): Promise<PairRun> {
  const anvil = await startAnvil({ args: ANVIL_ARGS });
  const proxy = process.env.BENCH_E2E_COUNT_RPC ? await countingProxy(anvil.rpcUrl) : undefined;
  const set = await deployServiceSet(anvil.clients(0), {
    quorumNumerator: 2n,
    quorumDenominator: 3n,
  });
  const homes: string[] = [];
  const children: ChildProcess[] = [];
  try {
    const ports = await pickPorts(0, 3, "--port");
    const p2p = await pickPorts(0, 3, "--p2p-port", ports);
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
log_level = "${LOG_LEVEL}"
${POOL_SIZE ? `engine_pool_size = ${Number(POOL_SIZE)}\n` : ""}p2p = { remote = { listen_port = ${p2p[i]}, bootstrap_nodes = [${peers.join(", ")}] } }

[default.chains.evm.31337]
ws_endpoints = ["${proxy?.wsUrl ?? anvil.rpcUrl.replace("http", "ws")}"]
http_endpoint = "${proxy?.url ?? anvil.rpcUrl}"
`,
      );
      children.push(await startNode(home, ports[i]!, `${pair}-${i}`));
    }
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    const [square, aggregator] = await pairComponents(pair);
    let digests: string[] = [];
    for (const url of urls) {
      digests = [
        ((await http(`${url}/dev/components`, "POST", undefined, square)) as { digest: string })
          .digest,
        ((await http(`${url}/dev/components`, "POST", undefined, aggregator)) as { digest: string })
          .digest,
      ];
    }
    const manager = { evm: { chain: "evm:31337", address: set.serviceManager } };
    const { hash } = (await http(
      `${urls[0]}/dev/services`,
      "POST",
      devServiceJson({
        name: `bench-e2e-${pair}`,
        chain: "evm:31337",
        contracts: set,
        componentDigest: digests[0]!,
        aggregatorDigest: digests[1]!,
      }),
    )) as { hash: string };
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
    // what the chain shows, observed the way a dApp would: a log subscription on both contracts
    const watcher = createPublicClient({
      transport: webSocket(anvil.rpcUrl.replace("http", "ws")),
    });
    const triggered = new Map<bigint, { at: number; x: number }>();
    const landed = new Map<bigint, number>();
    const handledLogs = new Map<bigint, number>();
    const subscription = await watcher.transport.subscribe({
      params: ["logs", { address: [set.trigger, set.submit] }],
      onData: (data) => {
        const at = performance.now();
        const log = data.result as { address: string; topics: Hex[]; data: Hex } | undefined;
        if (!log) return;
        if (
          log.address.toLowerCase() === set.trigger.toLowerCase() &&
          log.topics[0] === NEW_TRIGGER_TOPIC
        ) {
          const info = decodeNewTriggerEvent(hexToBytes(log.data));
          const x = (JSON.parse(new TextDecoder().decode(info.data)) as { x: number }).x;
          triggered.set(info.triggerId, { at, x });
        } else if (log.address.toLowerCase() === set.submit.toLowerCase() && log.topics[2]) {
          const id = BigInt(log.topics[2]);
          if (!landed.has(id)) landed.set(id, at);
          handledLogs.set(id, (handledLogs.get(id) ?? 0) + 1);
        }
      },
      onError: (err: unknown) => console.error("log subscription:", err),
    });

    // trigger transactions are signed here with our own nonces and sent without waiting for
    // anything but the node's answer, so the sender never holds the pace back
    const sender = privateKeyToAccount(anvil.privateKeys[0]!);
    let nonce = await client.getTransactionCount({ address: sender.address, blockTag: "pending" });
    const gasPrice = (await client.getGasPrice()) * 2n + 1_000_000_000n;
    let sent = 0;
    const emit = async (x: number): Promise<void> => {
      const raw = await signAddTrigger(sender, {
        chainId: anvil.chainId,
        nonce: nonce++,
        trigger: set.trigger,
        x,
        gasPrice,
      });
      await client.request({ method: "eth_sendRawTransaction", params: [raw] });
      sent++;
    };
    /** Resolves when `count` triggers sent since `from` have landed; the ids, in order. */
    const landing = async (count: number, first: bigint, timeoutMs: number): Promise<bigint[]> => {
      const ids = Array.from({ length: count }, (_, i) => first + BigInt(i));
      const until = performance.now() + timeoutMs;
      while (ids.some((id) => !landed.has(id))) {
        if (performance.now() > until) {
          const missing = ids.filter((id) => !landed.has(id));
          throw new Error(
            `${missing.length} of ${count} results did not land (first: ${missing[0]})`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return ids;
    };
    const nextId = async () =>
      (await client.readContract({
        address: set.trigger,
        abi: simpleTriggerAbi,
        functionName: "lastTriggerId",
      })) + 1n;

    // warm-up: every worker instantiates the components, every node learns the operators
    const warm = await nextId();
    for (let i = 0; i < 20; i++) await emit(i);
    await landing(20, warm, 120_000);

    // one event at a time on an idle network: the latency a lone event sees
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) {
      const id = await nextId();
      await emit(i);
      await landing(1, id, 60_000);
      idle.push(landed.get(id)! - triggered.get(id)!.at);
      // a quiet moment, so that the next event finds the network idle again
      await new Promise((r) => setTimeout(r, 300));
    }
    idle.sort((a, b) => a - b);
    console.log(
      `[${pair}] one event on an idle network (10 events): p50 ${pct(idle, 50).toFixed(0)} ms, max ${idle[idle.length - 1]!.toFixed(0)} ms`,
    );

    const pids = [...children.map((c) => c.pid), anvil.pid];
    const cpu = () => pids.map((pid) => cpuSeconds(pid));
    /** CPU ms per event over a phase: the nodes' mean and anvil's, and a printable line. */
    const cpuReport = (before: number[], events: number) => {
      const ms = cpu().map((c, i) => ((c - before[i]!) / events) * 1000);
      const nodes = ms.slice(0, 3);
      const nodeMean = nodes.reduce((x, y) => x + y, 0) / nodes.length;
      return {
        nodeMean,
        anvil: ms[3]!,
        line: `CPU ms per event: nodes ${nodes.map((c) => c.toFixed(1)).join(" / ")} (mean ${nodeMean.toFixed(1)}), anvil ${ms[3]!.toFixed(1)}`,
      };
    };

    // steady 20 events/s for 10 s (BENCH_E2E_RATE changes the rate, for diagnosis)
    const rate = Number(process.env.BENCH_E2E_RATE ?? 20);
    const steadyFirst = await nextId();
    const steadyFromBlock = await client.getBlockNumber();
    const steadyCpu = cpu();
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) {
      await new Promise((r) =>
        setTimeout(r, Math.max(0, t0 + (i * 1000) / rate - performance.now())),
      );
      await emit(i);
    }
    const steady = await landing(200, steadyFirst, 120_000);
    const steadyCost = cpuReport(steadyCpu, 200);
    const latencies = steady
      .map((id) => landed.get(id)! - triggered.get(id)!.at)
      .sort((a, b) => a - b);
    console.log(
      `[${pair}] latency at ${rate} events/s (200 events): p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms, max ${latencies[latencies.length - 1]!.toFixed(0)} ms; ${steadyCost.line}`,
    );

    // sustained: a burst as fast as anvil takes transactions; landed results per second from
    // the first trigger mined to the last result mined
    const burstFirst = await nextId();
    const burstCpu = cpu();
    // eight sends in flight, as the ceiling below does, so anvil may mine several per block
    for (let i = 0; i < burstSize; i += 8) {
      await Promise.all(
        Array.from({ length: Math.min(8, burstSize - i) }, (_, k) => emit(1000 + i + k)),
      );
    }
    const burst = await landing(burstSize, burstFirst, 600_000);
    const start = triggered.get(burstFirst)!.at;
    const offered = triggered.get(burst[burst.length - 1]!)!.at - start;
    const end = Math.max(...burst.map((id) => landed.get(id)!));
    const eventsPerSecond = burstSize / ((end - start) / 1000);
    console.log(
      `[${pair}] sustained: ${burstSize} events (all triggers mined within ${(offered / 1000).toFixed(1)} s), last result ${((end - start) / 1000).toFixed(1)} s after the first trigger = ${eventsPerSecond.toFixed(1)} events/s; ${cpuReport(burstCpu, burstSize).line}`,
    );
    await subscription.unsubscribe();
    // its socket would otherwise try to reconnect to this pair's anvil once it is stopped
    (await watcher.transport.getRpcClient()).close();
    const nodeRssMb = Math.max(...children.map((c) => memoryMb(c.pid, "VmHWM")));

    // exactly one result transaction per event, and the right data for each
    const head = await client.getBlockNumber();
    let txs = 0;
    let reverted = 0;
    for (let b = 0n; b <= head; b += 100n) {
      const blocks = await Promise.all(
        Array.from({ length: Number(b + 100n > head + 1n ? head + 1n - b : 100n) }, (_, i) =>
          client.getBlock({ blockNumber: b + BigInt(i), includeTransactions: true }),
        ),
      );
      for (const block of blocks) {
        for (const t of block.transactions) {
          if (t.to?.toLowerCase() !== set.submit.toLowerCase()) continue;
          txs++;
          const receipt = await client.getTransactionReceipt({ hash: t.hash });
          if (receipt.status !== "success") reverted++;
        }
      }
    }
    const events = sent;
    let wrong = 0;
    for (const [id, { x }] of triggered) {
      const stored = await client.readContract({
        address: set.submit,
        abi: simpleSubmitAbi,
        functionName: "getDataWithId",
        args: [id],
      });
      if (new TextDecoder().decode(hexToBytes(stored.data)) !== `{"y":${x * x}}`) wrong++;
    }
    const duplicates = [...handledLogs.values()].filter((n) => n !== 1).length;
    if (proxy) {
      const perEvent = (counts: Map<string, number>) =>
        [...counts]
          .sort((a, b) => b[1] - a[1])
          .map(([m, n]) => `${m} ${(n / events).toFixed(2)}`)
          .join(", ");
      console.log(`[${pair}] node RPC calls per event: ${perEvent(proxy.counts)}`);
      console.log(`[${pair}] what the looks answered, per event: ${perEvent(proxy.outcomes)}`);
    }
    console.log(
      `[${pair}] result transactions: ${txs} for ${events} events (${reverted} reverted); results checked: ${triggered.size - wrong} right, ${wrong} wrong; events handled more than once: ${duplicates}`,
    );
    console.log(`[${pair}] nodes' peak memory (RSS): ${nodeRssMb.toFixed(0)} MB`);
    const figures: PairFigures = {
      events_per_s: Number(eventsPerSecond.toFixed(1)),
      p50_ms: Math.round(pct(latencies, 50)),
      p99_ms: Math.round(pct(latencies, 99)),
      idle_p50_ms: Math.round(pct(idle, 50)),
      tx_per_event: Number((txs / events).toFixed(3)),
      node_cpu_ms_per_event: Number(steadyCost.nodeMean.toFixed(1)),
      anvil_cpu_ms_per_event: Number(steadyCost.anvil.toFixed(1)),
      node_rss_mb: Math.round(nodeRssMb),
    };
    return { figures, steady: { rate, fromBlock: steadyFromBlock } };
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    await anvil.stop();
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (LOG_DIR) mkdirSync(LOG_DIR, { recursive: true });
  const pairs = (process.env.BENCH_E2E_PAIRS ?? "compiled,ts").split(",") as Pair[];
  for (const pair of pairs) {
    if (pair !== "compiled" && pair !== "ts") {
      throw new Error(`BENCH_E2E_PAIRS: unknown pair "${pair}" (compiled, ts)`);
    }
  }
  const burstSize = Number(process.env.BENCH_E2E_BURST ?? 300);
  // the chain's own limit on this machine, with no node running
  const ceiling = await anvilCeiling(burstSize);
  console.log(
    `anvil alone (no nodes, automine): ${burstSize} trigger + result pairs = ${ceiling.eventsPerSecond.toFixed(1)} events/s; anvil CPU ms per event: ${ceiling.cpuMsPerEvent.toFixed(1)}`,
  );
  const lines: string[] = [];
  for (const pair of pairs) {
    const { figures, steady } = await runPair(pair, burstSize);
    // the same load on anvil without the nodes: as many events at the same pace, each
    // transaction in a block of its own, from the same chain height
    const paced = await anvilPaced({ events: 200, ...steady });
    console.log(
      `[${pair}] anvil alone at ${steady.rate} events/s from block ${steady.fromBlock}: CPU ms per event ${paced.cpuMsPerEvent.toFixed(1)} (with the nodes: ${figures.anvil_cpu_ms_per_event.toFixed(1)}, ratio ${(figures.anvil_cpu_ms_per_event / paced.cpuMsPerEvent).toFixed(2)})`,
    );
    lines.push(
      JSON.stringify({
        bench: `e2e-${pair}`,
        ...figures,
        anvil_alone_cpu_ms_per_event: Number(paced.cpuMsPerEvent.toFixed(1)),
        anvil_alone_events_per_s: Number(ceiling.eventsPerSecond.toFixed(1)),
      }),
    );
  }
  for (const line of lines) console.log(line);
}

main().then(
  // the log subscription's socket would keep the process alive
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
