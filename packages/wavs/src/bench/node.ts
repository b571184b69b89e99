/**
 * `npm run bench:node`: trigger matching rate, and events per second plus latency from a log
 * being mined on anvil to its signed submission, on one node with the compiled pair (both
 * hand-written WAT, standing in for Rust builds): an operator component answering each LogSpam
 * log with a DataWithId payload, and the compiled aggregator submitting it. The workflow is
 * whole, as in production: the aggregator is configured with its chain and handler, the
 * service manager is a real one on the same anvil where this node's key is the whole quorum,
 * and every result is checked and lands on SimpleSubmit (that work shares the machine with
 * what is measured; the bench waits for it and says when it was done). Ends with one JSON line
 * of headline figures. `WAVS_BENCH_QUICK=1` (bench:quick) measures fewer events.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  deployContract,
  deployServiceSet,
  logSpamAbi,
  logSpamBytecode,
  registerOperator,
  startAnvil,
  waitForSuccess,
} from "@wavs-ts/contracts";
import { buildWatComponent } from "@wavs-ts/sdk";
import { keccak256, toHex } from "viem";
import { loadConfig } from "../config/index.js";
import { silentLogger } from "../internal/index.js";
import { createWavsNode } from "../node/index.js";
import { benchTriggerLookup } from "../triggers/index.js";
import { pct } from "./percentile.js";
import { uploadedComponent } from "./uploaded-component.js";

const repoRoot = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..", "..");
const MNEMONIC = "test test test test test test test test test test test junk";

const QUICK = process.env.WAVS_BENCH_QUICK === "1";

async function main(): Promise<void> {
  const lookup = benchTriggerLookup(10_000, 1000);
  console.log(
    `trigger matching: ${Math.round(lookup.lookupsPerSecond).toLocaleString()} lookups/s (10,000 registered triggers)`,
  );

  const anvil = await startAnvil();
  const home = mkdtempSync(join(tmpdir(), "wavs-bench-node-"));
  const node = (() => {
    writeFileSync(
      join(home, "wavs.toml"),
      `[default]
data = "${join(home, "data")}"
signing_mnemonic = "${MNEMONIC}"
aggregator_evm_credential = "${anvil.privateKeys[1]}"
dev_endpoints_enabled = true
port = 0
log_level = "silent"

[default.chains.evm.31337]
ws_endpoints = ["${anvil.rpcUrl.replace("http", "ws")}"]
http_endpoint = "${anvil.rpcUrl}"
poll_interval_ms = 50
`,
    );
    const { config } = loadConfig({ section: "wavs", home });
    return createWavsNode({ config, logger: silentLogger(), version: "bench" });
  })();
  try {
    const clients = anvil.clients(0);
    const spam = await deployContract(clients, logSpamAbi, logSpamBytecode, []);
    const set = await deployServiceSet(clients, { quorumNumerator: 1n, quorumDenominator: 1n });
    await node.start();
    const { engine, registry, submissions } = node.parts;
    const watPath = join(home, "spam-result.wasm");
    await buildWatComponent({
      wat: join(repoRoot, "packages/wavs/test/fixtures/wat/spam-result.wat"),
      out: watPath,
    });
    const operator = await engine.register(readFileSync(watPath));
    // the compiled pair: hand-written WAT for both components, standing in for Rust builds
    const aggregatorPath = join(home, "aggregator.wasm");
    await buildWatComponent({
      wat: join(repoRoot, "packages/wavs/test/fixtures/wat/aggregator-submit.wat"),
      out: aggregatorPath,
      world: "aggregator",
    });
    const aggregator = await engine.register(readFileSync(aggregatorPath));
    const { serviceId } = await registry.addDirect({
      name: "bench",
      status: "active",
      manager: { type: "evm", chain: "evm:31337", address: set.serviceManager },
      workflows: new Map([
        [
          "spam",
          {
            trigger: {
              type: "evm_contract_event",
              address: spam,
              chain: "evm:31337",
              event_hash: keccak256(toHex("Spam(uint256)")),
            },
            component: uploadedComponent(operator.digest),
            submit: {
              type: "aggregator",
              component: {
                ...uploadedComponent(aggregator.digest),
                config: new Map([
                  ["chain", "evm:31337"],
                  ["service_handler", set.submit],
                ]),
              },
              signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
            },
          },
        ],
      ]),
    } as Parameters<typeof registry.addDirect>[0]);
    await waitForSuccess(
      clients,
      await registerOperator(clients, set.serviceManager, {
        operator: anvil.walletClient(2).account.address,
        signingKey: registry.signerAccount(serviceId).address,
        weight: 1n,
      }),
    );
    const wallet = anvil.walletClient(0);
    const emit = async (start: number, count: number) => {
      const hash = await wallet.writeContract({
        address: spam,
        abi: logSpamAbi,
        functionName: "emitSpam",
        args: [BigInt(start), BigInt(count)],
      });
      await waitForSuccess(clients, hash);
    };
    // polled every millisecond: a loop of setImmediate here took most of the node's main
    // thread (the benchmark measured itself, at 8 events/s)
    const waitForCount = async (n: number) => {
      while (submissions.count(serviceId) < n) await new Promise((r) => setTimeout(r, 1));
    };

    // latency: one log at a time, from its receipt to its signed submission
    const latencies: number[] = [];
    let next = 0;
    for (let i = 0; i < (QUICK ? 30 : 60); i++) {
      await emit(next, 1);
      const mined = performance.now();
      next += 1;
      await waitForCount(next);
      if (i >= 10) latencies.push(performance.now() - mined);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `latency, log mined -> signed submission (${latencies.length} events): p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms`,
    );

    // throughput: bursts of logs, from the first burst mined to every submission signed
    const burst = QUICK ? 250 : 500;
    const bursts = QUICK ? 2 : 4;
    const t0 = performance.now();
    for (let b = 0; b < bursts; b++) {
      await emit(next, burst);
      next += burst;
    }
    await waitForCount(next);
    const seconds = (performance.now() - t0) / 1000;
    const eventsPerSecond = (burst * bursts) / seconds;
    console.log(
      `throughput: ${burst * bursts} events in ${seconds.toFixed(2)} s = ${eventsPerSecond.toFixed(0)} events/s`,
    );
    // the rest of the workflow, not in the figures: every result checked and landed
    const burned = node.parts.db.prepare(
      "SELECT COUNT(*) AS n FROM quorum_queues WHERE status = 'burned'",
    );
    const landed = () => (burned.get() as { n: number }).n;
    const signedAt = performance.now();
    while (landed() < next && performance.now() - signedAt < 300_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const landedCount = landed();
    console.log(
      `results landed on SimpleSubmit: ${landedCount} of ${next}, the last ${((performance.now() - signedAt) / 1000).toFixed(1)} s after the last signed submission`,
    );
    if (landedCount < next) throw new Error(`${next - landedCount} results did not land`);

    console.log(
      JSON.stringify({
        bench: "node",
        lookups_per_s: Math.round(lookup.lookupsPerSecond),
        events_per_s: Math.round(eventsPerSecond),
        p50_ms: Number(pct(latencies, 50).toFixed(1)),
        p99_ms: Number(pct(latencies, 99).toFixed(1)),
      }),
    );
  } finally {
    await node.stop();
    await anvil.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
