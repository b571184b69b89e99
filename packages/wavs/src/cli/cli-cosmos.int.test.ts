// The CLI on a Cosmos chain, through the real binary against a real wasmd: `wavs exec
// --trigger-tx` replays a contract event into a real component; `wavs service` builds a
// Cosmos-managed, Cosmos-triggered service and `validate --check-chain` reads the chain.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cosmwasmCode } from "@wavs-ts/contracts";
import { buildFixture } from "@wavs-ts/sdk";
import { decodeAbiParameters, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestCosmos,
  type TestCosmos,
  WASMD_HOOK_TIMEOUT,
} from "../../test/helpers/cosmos-harness.js";
import { type CliRun, envWithoutWavs, runWavs } from "../../test/helpers/wavs-cli.js";

let cosmos: TestCosmos;
let scratch: string;
let home: string;
const wasm: Record<string, string> = {};
let tx: { transactionHash: string; height: number; ids: number[] };
let manager: string;

beforeAll(async () => {
  cosmos = await startTestCosmos("wasmd-exec");
  for (const name of ["square", "host-probe"]) wasm[name] = await buildFixture(name);
  scratch = mkdtempSync(join(tmpdir(), "wavs-exec-cosmos-"));
  home = join(scratch, "home");
  mkdirSync(home);
  writeFileSync(
    join(home, "wavs.toml"),
    [
      `[default.chains.cosmos.${cosmos.chain.chainId}]`,
      'bech32_prefix = "wasm"',
      `rpc_endpoint = "${cosmos.chain.rpcUrl}"`,
      "gas_price = 0.5", // exact in the WIT record's f32
      'gas_denom = "ustake"',
      "",
    ].join("\n"),
  );
  tx = await cosmos.emit(2, Buffer.from('{"x":5}').toString("hex"));
  manager = await cosmos.wallet.deploy(cosmwasmCode("service_manager"), {}, "cli manager");
}, WASMD_HOOK_TIMEOUT);

afterAll(async () => {
  await cosmos?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const exec = (component: string, ...flags: string[]): Promise<CliRun> =>
  runWavs(["exec", "--component", component, "--home", home, ...flags], {
    cwd: scratch,
    env: { ...envWithoutWavs(), HOME: join(scratch, "home") },
  });

/** The event_index of each `wasm-new-message` event of the block, from CometBFT directly. */
async function messageIndexes(): Promise<number[]> {
  const res = await fetch(`${cosmos.chain.rpcUrl}/block_results?height=${tx.height}`);
  const { result } = (await res.json()) as {
    result: { txs_results: { events: { type: string }[] }[]; finalize_block_events: unknown[] };
  };
  return result.txs_results
    .flatMap((t) => t.events)
    .flatMap((e, i) => (e.type === "wasm-new-message" ? [i] : []));
}

describe("wavs exec --trigger-tx on a Cosmos chain (real wasmd)", () => {
  it("replays a contract event into the component, as the node would hand it over", async () => {
    const indexes = await messageIndexes();
    expect(indexes).toHaveLength(2);
    const r = await exec(
      wasm.square!,
      "--trigger-tx",
      tx.transactionHash,
      "--event-index",
      String(indexes[1]),
      "--chain",
      cosmos.key,
      "--json",
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout) as { responses: { payload: string }[] };
    const [decoded] = decodeAbiParameters(
      [
        {
          type: "tuple",
          components: [
            { name: "triggerId", type: "uint64" },
            { name: "data", type: "bytes" },
          ],
        },
      ],
      out.responses[0]!.payload as Hex,
    );
    expect(decoded.triggerId).toBe(BigInt(tx.ids[1]!));
    expect(Buffer.from(decoded.data.slice(2), "hex").toString()).toBe('{"y":25}');
  });

  it("gives the component the spec's trigger data and the chain's config from wavs.toml", async () => {
    const [index] = await messageIndexes();
    const r = await exec(
      wasm["host-probe"]!,
      "--config",
      `cosmos_chain=${cosmos.key}`,
      "--trigger-tx",
      tx.transactionHash.toLowerCase(),
      "--event-index",
      String(index),
      "--chain",
      cosmos.key,
      "--json",
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const probe = JSON.parse(
      (JSON.parse(r.stdout) as { responses: { payload_utf8: string }[] }).responses[0]!
        .payload_utf8,
    );
    expect(probe.action.data).toMatchObject({
      tag: "cosmos-contract-event",
      val: {
        contractAddress: { bech32Addr: cosmos.trigger, prefixLen: 4 },
        chain: cosmos.key,
        event: {
          ty: "wasm-new-message",
          attributes: [
            ["_contract_address", cosmos.trigger],
            ["id", String(tx.ids[0])],
            ["data", Buffer.from('{"x":5}').toString("hex")],
            ["msg_index", "0"],
          ],
        },
        eventIndex: String(index),
        blockHeight: String(tx.height),
      },
    });
    expect(probe.cosmosChain).toMatchObject({
      chainId: cosmos.chain.chainId,
      rpcEndpoint: cosmos.chain.rpcUrl,
      gasPrice: 0.5,
      gasDenom: "ustake",
      bech32Prefix: "wasm",
    });
  });

  it("lists the transaction's events when --event-index is not a contract event of it", async () => {
    const r = await exec(
      wasm.square!,
      "--trigger-tx",
      tx.transactionHash,
      "--event-index",
      "0",
      "--chain",
      cosmos.key,
      "--json",
    );
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout) as {
      error: { code: string; message: string; hint: string };
    };
    expect(error.code).toBe("WAVS_ERR_INPUT_INVALID");
    expect(error.message).toMatch(/--event-index 0: not a contract event of transaction/);
    expect(error.hint).toMatch(/wasm-new-message/);
  });

  it("says so when the transaction is not on the chain, and when the chain is not configured", async () => {
    const missing = await exec(
      wasm.square!,
      "--trigger-tx",
      "ab".repeat(32),
      "--event-index",
      "0",
      "--chain",
      cosmos.key,
      "--json",
    );
    expect(JSON.parse(missing.stdout).error.message).toMatch(
      /no such transaction on cosmos:wasmd-exec/,
    );
    const unknown = await exec(
      wasm.square!,
      "--trigger-tx",
      tx.transactionHash,
      "--event-index",
      "0",
      "--chain",
      "cosmos:elsewhere",
      "--json",
    );
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ code: "WAVS_ERR_CHAIN_UNKNOWN" });
  });
});

describe("wavs service with Cosmos triggers and managers (real wasmd)", () => {
  const service = (...args: string[]) =>
    runWavs(["service", "--file", join(scratch, "cosmos-service.json"), "--home", home, ...args], {
      cwd: scratch,
      env: { ...envWithoutWavs(), HOME: join(scratch, "home") },
    });

  it("builds a Cosmos-managed service step by step; validate --check-chain reads the chain", async () => {
    const steps = [
      ["init", "--name", "on-cosmos", "--manager-chain", cosmos.key, "--manager-address", manager],
      ["workflow", "add", "--id", "default"],
      [
        "workflow",
        "trigger",
        "--id",
        "default",
        "set-cosmos",
        "--address",
        cosmos.trigger,
        "--chain",
        cosmos.key,
        "--event-type",
        "new-message",
      ],
      [
        "workflow",
        "component",
        "--id",
        "default",
        "set-source-digest",
        "--digest",
        "ab".repeat(32),
      ],
    ];
    for (const step of steps) {
      const r = await service(...step);
      expect(r.code, `${step.join(" ")}: ${r.stderr}`).toBe(0);
    }
    const shown = await service("--json", "validate", "--check-chain");
    expect(shown.code, shown.stdout + shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ valid: true, errors: [] });

    // the trigger contract as the manager: it exists but does not answer wavs_service_uri
    const wrong = await service(
      "manager",
      "set-cosmos",
      "--chain",
      cosmos.key,
      "--address",
      cosmos.trigger,
    );
    expect(wrong.code, wrong.stderr).toBe(0);
    const refused = await service("--json", "validate", "--check-chain");
    const report = JSON.parse(refused.stdout) as {
      valid: boolean;
      errors: { path: string; message: string }[];
    };
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([
      {
        path: "manager.cosmos.address",
        message: expect.stringMatching(/does not answer \{"wavs_service_uri": \{\}\}/),
      },
    ]);

    // an address with no contract
    const nobody = cosmos.wallet.address;
    await service("manager", "set-cosmos", "--chain", cosmos.key, "--address", manager);
    await service(
      "workflow",
      "trigger",
      "--id",
      "default",
      "set-cosmos",
      "--address",
      nobody,
      "--chain",
      cosmos.key,
      "--event-type",
      "new-message",
    );
    const missing = JSON.parse((await service("--json", "validate", "--check-chain")).stdout) as {
      errors: { path: string; message: string }[];
    };
    expect(missing.errors).toEqual([
      {
        path: "workflows.default.trigger.cosmos_contract_event.address",
        message: expect.stringMatching(/^no contract at wasm1/),
      },
    ]);
  });

  it("refuses an EVM chain key for a Cosmos manager", async () => {
    const r = await service(
      "--json",
      "manager",
      "set-cosmos",
      "--chain",
      "evm:1",
      "--address",
      manager,
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.message).toMatch(/not a cosmos chain key/);
  });
});
