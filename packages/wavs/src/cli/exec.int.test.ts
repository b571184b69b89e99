// End-to-end tests of `wavs exec` and `wavs exec-aggregator`: each test spawns the real binary
// (bin/wavs.js over dist/, so run `npx tsc -b` first) and checks what it prints and its exit code.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Anvil, deployServiceSet, simpleTriggerAbi, startAnvil } from "@wavs-ts/contracts";
import { buildFixture } from "@wavs-ts/sdk";
import { decodeAbiParameters, type Hex, stringToHex, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceJsonWith } from "../../test/helpers/service-fixtures.js";
import { watFixture } from "../../test/helpers/wat-fixture.js";
import { type CliRun, REPO_ROOT, runWavs } from "../../test/helpers/wavs-cli.js";

const FIXTURES = [
  "square",
  "echo",
  "host-probe",
  "kv-counter",
  "aggregator-simple",
  "timer-aggregator",
  "multi-response",
  "env-snoop",
] as const;
type Fixture = (typeof FIXTURES)[number];

const wasm = {} as Record<Fixture, string>;
let scratch: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  for (const name of FIXTURES) wasm[name] = await buildFixture(name);
  scratch = mkdtempSync(join(tmpdir(), "wavs-cli-test-"));
  mkdirSync(join(scratch, "home"));
  // No WAVS_* from the developer's shell, and a HOME without a wavs.toml, so only what a test
  // passes counts. Prepared components go to a cache shared by test runs, so reruns start fast.
  env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("WAVS_") && k !== "XDG_CONFIG_HOME"),
  );
  env.HOME = join(scratch, "home");
  env.XDG_CACHE_HOME = join(REPO_ROOT, ".cache", "cli-test");
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// The machine has two cores: more than two engines starting at once only makes each slower.
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  // a released slot passes straight to the next waiter, so `running` never exceeds the limit
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** Run `wavs <args>` in the scratch directory. */
function wavs(...args: string[]): Promise<CliRun> {
  return wavsWithEnv({}, ...args);
}

/** Run `wavs <args>` with extra environment variables. */
function wavsWithEnv(extra: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  return slot(() => runWavs(args, { cwd: scratch, env: { ...env, ...extra } }));
}

/** The one JSON object a --json run printed; fails when stdout holds anything else. */
function onlyJson(r: CliRun): Record<string, unknown> {
  const lines = r.stdout.split("\n").filter((l) => l !== "");
  expect(lines, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toHaveLength(1);
  return JSON.parse(lines[0] as string);
}

interface ExecJson {
  responses: {
    payload: string;
    payload_utf8: string | null;
    ordering: number | null;
    event_id_salt: string | null;
  }[];
  duration_ms: number;
  fuel_used: number | null;
  logs: { level: string; source: string; message: string }[];
}

/** A successful `exec --json` run's output. */
function success(r: CliRun): ExecJson {
  const out = onlyJson(r);
  expect(out.error, JSON.stringify(out.error)).toBeUndefined();
  expect(r.code).toBe(0);
  return out as unknown as ExecJson;
}

/** A failed --json run: exit 1 and exactly `{"error": {code, message, ...}}` on stdout. */
function failure(r: CliRun, code: string, message: RegExp): { code: string; message: string } {
  const out = onlyJson(r);
  expect(Object.keys(out)).toEqual(["error"]);
  const err = out.error as { code: string; message: string };
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
  expect(r.code).toBe(1);
  return err;
}

function scratchFile(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe.concurrent("wavs exec", () => {
  it("answers {y: 9} for square on {x: 3} as exactly one JSON object", async () => {
    const out = success(
      await wavs("exec", "--component", wasm.square, "--input", '{"x":3}', "--json"),
    );
    expect(out.responses).toEqual([
      {
        payload: toHex('{"y":9}'),
        payload_utf8: '{"y":9}',
        ordering: null,
        event_id_salt: null,
      },
    ]);
    expect(out.duration_ms).toBeGreaterThan(0);
    expect(out.logs).toEqual([]);
  });

  it("the compiled (WAT) square squares integers and says what it takes", async () => {
    const compiled = await watFixture("square");
    const run = (input: string) =>
      wavs("exec", "--component", compiled, "--input", input, "--json");
    const [small, spaced, large, fraction, notJson] = await Promise.all([
      run('{"x":3}'),
      run('{"x": -12}'),
      run('{"x":123456789}'),
      run('{"x":1.5}'),
      run("nope"),
    ]);
    expect(success(small).responses[0]?.payload_utf8).toBe('{"y":9}');
    expect(success(spaced).responses[0]?.payload_utf8).toBe('{"y":144}');
    expect(success(large).responses[0]?.payload_utf8).toBe('{"y":15241578750190521}');
    for (const bad of [fraction, notJson]) {
      failure(bad, "WAVS_ERR_EXEC_COMPONENT_ERROR", /expected \{"x": <integer>\}/);
    }
  });

  it("prints a readable summary without --json", async () => {
    const r = await wavs("exec", "--component", wasm.square, "--input", '{"x":4}');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 response\(s\) in [\d.]+ ms, \d+ fuel$/m);
    expect(r.stdout).toContain(`payload (hex): ${toHex('{"y":16}')}`);
    expect(r.stdout).toContain('payload (utf8): {"y":16}');
    expect(() => JSON.parse(r.stdout)).toThrow();
  });

  it("takes --input as 0x-hex and from @file", async () => {
    const file = scratchFile("input.json", '{"x":12}');
    const [hexRun, fileRun] = await Promise.all([
      wavs("exec", "--component", wasm.echo, "--input", "0x6869", "--json"),
      wavs("exec", "--component", wasm.square, "--input", `@${file}`, "--json"),
    ]);
    expect(success(hexRun).responses[0]?.payload_utf8).toBe("hi");
    expect(success(fileRun).responses[0]?.payload_utf8).toBe('{"y":144}');
  });

  it.each([
    ["PascalCase", '{"Raw":[104,105]}'],
    ["snake_case", '{"raw":"0x6869"}'],
  ])("--simulates-trigger accepts the %s raw form", async (_form, json) => {
    const out = success(
      await wavs("exec", "--component", wasm.echo, "--simulates-trigger", json, "--json"),
    );
    expect(out.responses.map((r) => r.payload_utf8)).toEqual(["hi"]);
  });

  it("--simulates-trigger takes an EvmContractEvent as WAVS writes it (log fields at the top level)", async () => {
    const event = {
      EvmContractEvent: {
        chain: "evm:31337",
        contract_address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        log_data: {
          topics: ["0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68"],
          data: "0x6869",
        },
        tx_hash: `0x${"ab".repeat(32)}`,
        block_number: 100,
        log_index: 4,
        block_hash: `0x${"cd".repeat(32)}`,
        block_timestamp: 1700000000,
        tx_index: 2,
      },
    };
    const out = success(
      await wavs(
        "exec",
        "--component",
        wasm["host-probe"],
        "--simulates-trigger",
        JSON.stringify(event),
        "--json",
      ),
    );
    const probe = JSON.parse(out.responses[0]?.payload_utf8 as string);
    expect(probe.action.data.tag).toBe("evm-contract-event");
    expect(JSON.stringify(probe.action.data.val)).toContain('"blockNumber":"100"');
    expect(JSON.stringify(probe.action.data.val)).toContain('"logIndex":"4"');
  });

  it("reports the fuel a run used, and --fuel-limit stops a run past it with WAVS_ERR_EXEC_FUEL", async () => {
    const run = success(await wavs("exec", "--component", wasm.echo, "--input", "hi", "--json"));
    const used = run.fuel_used;
    expect(used).toBeGreaterThan(0);
    failure(
      await wavs(
        "exec",
        "--component",
        wasm.echo,
        "--input",
        "hi",
        "--fuel-limit",
        "1000",
        "--json",
      ),
      "WAVS_ERR_EXEC_FUEL",
      /^Out of fuel: the component used its fuel limit of 1000/,
    );
  });

  it("wavs --version prints the package's version", async () => {
    const pkg = JSON.parse(
      readFileSync(join(REPO_ROOT, "packages", "wavs", "package.json"), "utf8"),
    );
    const r = await wavs("--version");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("delivers a Cron trigger; component stdout and stderr land in logs, not on stdout", async () => {
    const r = await wavs(
      "exec",
      "--component",
      wasm["host-probe"],
      "--simulates-trigger",
      '{"Cron":{"trigger_time":123}}',
      "--json",
    );
    const out = success(r);
    const probe = JSON.parse(out.responses[0]?.payload_utf8 as string);
    expect(probe.action.data).toEqual({ tag: "cron", val: { triggerTime: { nanos: "123" } } });
    expect(out.logs).toContainEqual({
      level: "info",
      source: "stdout",
      message: "host-probe to stdout",
    });
    expect(out.logs).toContainEqual({
      level: "warn",
      source: "stderr",
      message: "host-probe to stderr",
    });
    expect(out.logs).toContainEqual({
      level: "error",
      source: "host",
      message: "host-probe log at error",
    });
    expect(r.stderr).not.toContain("host-probe");
  });

  it("reports ordering and event id salts; refuses several responses without salts", async () => {
    const [salted, unsalted] = await Promise.all([
      wavs("exec", "--component", wasm["multi-response"], "--config", "salts=true", "--json"),
      wavs("exec", "--component", wasm["multi-response"], "--json"),
    ]);
    expect(success(salted).responses).toEqual([
      {
        payload: toHex("first"),
        payload_utf8: "first",
        ordering: 1,
        event_id_salt: toHex("salt-1"),
      },
      {
        payload: toHex("second"),
        payload_utf8: "second",
        ordering: 2,
        event_id_salt: toHex("salt-2"),
      },
    ]);
    failure(unsalted, "WAVS_ERR_EXEC_BAD_RESPONSE", /carry no event-id-salt/);
  });

  it("passes WAVS_ENV* variables through, from the environment and --home's .env only", async () => {
    const home = join(scratch, "env-home");
    mkdirSync(home);
    writeFileSync(join(home, ".env"), "WAVS_ENV_FROM_DOTENV=2\nOTHER_FROM_DOTENV=x\n");
    const r = await wavsWithEnv(
      { WAVS_ENV_FROM_SHELL: "1", SECRET_THING: "3" },
      "exec",
      "--component",
      wasm["env-snoop"],
      "--home",
      home,
      "--input",
      "x",
      "--json",
    );
    const snoop = JSON.parse(success(r).responses[0]?.payload_utf8 as string);
    expect(snoop.environment).toEqual({ WAVS_ENV_FROM_SHELL: "1", WAVS_ENV_FROM_DOTENV: "2" });
  });

  it("runs with a --service file's workflow settings", async () => {
    const service = serviceJsonWith({ id: "main" });
    service.name = "from-file";
    const file = scratchFile("service-ok.json", JSON.stringify(service));
    const out = success(
      await wavs(
        "exec",
        "--component",
        wasm["host-probe"],
        "--service",
        file,
        "--config",
        "colour=blue",
        "--input",
        "x",
        "--json",
      ),
    );
    const probe = JSON.parse(out.responses[0]?.payload_utf8 as string);
    expect(probe.service.service.name).toBe("from-file");
    expect(probe.workflow.workflowId).toBe("main");
    expect(probe.config).toEqual({ colour: "blue" });
  });

  it("keeps KV between runs that share --data, and not otherwise", async () => {
    const data = join(scratch, "kv-data");
    const run = (input: string, ...extra: string[]) =>
      wavs("exec", "--component", wasm["kv-counter"], "--input", input, "--json", ...extra);
    const first = success(await run("one", "--data", data));
    const second = success(await run("two", "--data", data));
    expect(first.responses[0]?.payload_utf8).toBe("1");
    expect(second.responses[0]?.payload_utf8).toBe("2");
    expect(second.logs.map((l) => l.message)).toContain("kv-counter: previous input one");
    // without --data: a fresh directory, removed afterwards
    const tmp = join(scratch, "tmp");
    mkdirSync(tmp);
    const fresh = success(
      await wavsWithEnv(
        { TMPDIR: tmp },
        "exec",
        "--component",
        wasm["kv-counter"],
        "--input",
        "three",
        "--json",
      ),
    );
    expect(fresh.responses[0]?.payload_utf8).toBe("1");
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe.concurrent("wavs exec: bad input exits 1 with one JSON error", () => {
  it("a missing component file", async () => {
    const missing = join(scratch, "nope.wasm");
    failure(
      await wavs("exec", "--component", missing, "--input", "x", "--json"),
      "WAVS_ERR_INPUT_INVALID",
      /--component: cannot read .*nope\.wasm/,
    );
  });

  it("a text file as component", async () => {
    const file = scratchFile("component.txt", "export function run() {}\n");
    failure(
      await wavs("exec", "--component", file, "--input", "x", "--json"),
      "WAVS_ERR_COMPONENT_INVALID",
      /not WebAssembly/,
    );
  });

  it("a core module instead of a component", async () => {
    const file = scratchFile("core.wasm", new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    failure(
      await wavs("exec", "--component", file, "--input", "x", "--json"),
      "WAVS_ERR_COMPONENT_INVALID",
      /core WebAssembly module, not a component/,
    );
  });

  it.each([
    ['{"Rawx":[1]}', /'Rawx' is not one of/],
    ['{"cron":{"when":1}}', /trigger_time|when/],
    ["[1,2]", /trigger data/],
  ])("trigger JSON of the wrong shape: %s", async (json, message) => {
    failure(
      await wavs("exec", "--component", wasm.echo, "--simulates-trigger", json, "--json"),
      "WAVS_ERR_TRIGGER_DATA_INVALID",
      message,
    );
  });

  it("trigger text that is not JSON", async () => {
    failure(
      await wavs("exec", "--component", wasm.echo, "--simulates-trigger", "{raw", "--json"),
      "WAVS_ERR_INPUT_INVALID",
      /--simulates-trigger: not valid JSON/,
    );
  });

  it("--input 0xabc (odd hex)", async () => {
    failure(
      await wavs("exec", "--component", wasm.echo, "--input", "0xabc", "--json"),
      "WAVS_ERR_INPUT_INVALID",
      /--input: starts with 0x but has an odd number of hex digits/,
    );
  });

  it("an unknown --workflow of --service", async () => {
    const file = scratchFile("service.json", JSON.stringify(serviceJsonWith({ id: "main" })));
    const r = await wavs(
      "exec",
      "--component",
      wasm.echo,
      "--service",
      file,
      "--workflow",
      "nope",
      "--input",
      "x",
      "--json",
    );
    failure(r, "WAVS_ERR_INPUT_INVALID", /--workflow nope: no such workflow/);
    expect(JSON.parse(r.stdout).error.hint).toContain("main");
  });

  it("--workflow without --service", async () => {
    failure(
      await wavs("exec", "--component", wasm.echo, "--workflow", "w", "--input", "x", "--json"),
      "WAVS_ERR_INPUT_INVALID",
      /--workflow w needs --service/,
    );
  });

  it.each([
    [["--input", "x", "--simulates-trigger", '{"raw":"0x01"}'], /--input and --simulates-trigger/],
    [
      ["--simulates-trigger", '{"raw":"0x01"}', "--trigger-tx", `0x${"1".repeat(64)}`],
      /--simulates-trigger and --trigger-tx/,
    ],
    [["--input", "x", "--log-index", "0"], /--log-index only applies with --trigger-tx/],
    [["--trigger-tx", `0x${"1".repeat(64)}`, "--chain", "evm:31337"], /needs --log-index/],
    [
      ["--trigger-tx", "0x12", "--log-index", "0", "--chain", "evm:31337"],
      /not a transaction hash/,
    ],
    [
      ["--trigger-tx", `0x${"1".repeat(64)}`, "--log-index", "-1", "--chain", "evm:31337"],
      /--log-index: expected a non-negative integer/,
    ],
    [
      ["--trigger-tx", `0x${"1".repeat(64)}`, "--log-index", "0", "--chain", "cosmos:x"],
      /--log-index does not apply to cosmos:x: use --event-index/,
    ],
    [["--trigger-tx", `0x${"1".repeat(64)}`, "--chain", "cosmos:x"], /needs --event-index/],
    [
      ["--trigger-tx", `0x${"1".repeat(64)}`, "--event-index", "0", "--chain", "evm:31337"],
      /--event-index does not apply to evm:31337: use --log-index/,
    ],
    [["--input", "x", "--event-index", "0"], /--event-index only applies with --trigger-tx/],
  ])("conflicting or incomplete trigger flags %j", async (flags, message) => {
    failure(
      await wavs("exec", "--component", wasm.echo, ...flags, "--json"),
      "WAVS_ERR_INPUT_INVALID",
      message,
    );
  });

  it("a usage error (no --component)", async () => {
    const r = await wavs("exec", "--input", "x", "--json");
    failure(r, "WAVS_ERR_INPUT_INVALID", /required option '--component <file>'/);
    expect(r.stderr).toBe("");
  });

  it("without --json: the error on stderr, nothing on stdout", async () => {
    const r = await wavs("exec", "--component", wasm.echo, "--input", "0xabc");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error: --input: starts with 0x");
    expect(r.stderr).toContain("code: WAVS_ERR_INPUT_INVALID");
  });
});

describe.concurrent("wavs exec --trigger-tx", () => {
  let anvil: Anvil;
  let home: string;
  // A transfer and two triggers mined in one block: the second trigger has tx index 2 and log
  // index 1, so a mix-up of indexes, or of which log is picked, shows.
  let firstTx: Hex;
  let secondTx: Hex;

  beforeAll(async () => {
    anvil = await startAnvil();
    const clients = anvil.clients(0);
    const { trigger } = await deployServiceSet(clients);
    const addTrigger = (json: string) =>
      clients.walletClient.writeContract({
        address: trigger,
        abi: simpleTriggerAbi,
        functionName: "addTrigger",
        args: [stringToHex(json)],
      });
    await anvil.request("evm_setAutomine", [false]);
    await clients.walletClient.sendTransaction({
      to: `0x${"42".repeat(20)}`,
      value: 1n,
    });
    firstTx = await addTrigger('{"x":5}');
    secondTx = await addTrigger('{"x":7}');
    await anvil.mine(1);
    await anvil.request("evm_setAutomine", [true]);
    const receipt = await clients.publicClient.waitForTransactionReceipt({ hash: secondTx });
    expect(receipt.transactionIndex).toBe(2);
    expect(receipt.logs.map((l) => l.logIndex)).toEqual([1]);
    home = join(scratch, "anvil-home");
    mkdirSync(home);
    // evm:7 reads the same anvil over WebSocket; evm:9 points at a port nothing listens on.
    writeFileSync(
      join(home, "wavs.toml"),
      [
        "[default.chains.evm.31337]",
        `http_endpoint = "${anvil.rpcUrl}"`,
        "[default.chains.evm.7]",
        `ws_endpoints = ["${anvil.rpcUrl.replace(/^http/, "ws")}"]`,
        "[default.chains.evm.9]",
        'http_endpoint = "http://127.0.0.1:1"',
        "",
      ].join("\n"),
    );
  });

  afterAll(async () => {
    await anvil?.stop();
  });

  const replay = (component: string, tx: Hex, ...flags: string[]) =>
    wavs("exec", "--component", component, "--home", home, "--trigger-tx", tx, ...flags);

  const dataWithId = (payload: string) =>
    decodeAbiParameters(
      [
        {
          type: "tuple",
          components: [
            { name: "triggerId", type: "uint64" },
            { name: "data", type: "bytes" },
          ],
        },
      ],
      payload as Hex,
    )[0];

  it("runs square on real NewTrigger logs: abi.encode(DataWithId{id, '{\"y\":..}'})", async () => {
    const [first, second] = await Promise.all([
      replay(wasm.square, firstTx, "--log-index", "0", "--chain", "evm:31337", "--json"),
      replay(wasm.square, secondTx, "--log-index", "1", "--chain", "evm:31337", "--json"),
    ]);
    const firstOut = success(first);
    expect(firstOut.responses).toHaveLength(1);
    expect(dataWithId(firstOut.responses[0]?.payload as string)).toEqual({
      triggerId: 1n,
      data: stringToHex('{"y":25}'),
    });
    expect(dataWithId(success(second).responses[0]?.payload as string)).toEqual({
      triggerId: 2n,
      data: stringToHex('{"y":49}'),
    });
  });

  it("the compiled (WAT) square answers real NewTrigger logs as square does", async () => {
    const compiled = await watFixture("square");
    const [first, second] = await Promise.all([
      replay(compiled, firstTx, "--log-index", "0", "--chain", "evm:31337", "--json"),
      replay(compiled, secondTx, "--log-index", "1", "--chain", "evm:31337", "--json"),
    ]);
    expect(dataWithId(success(first).responses[0]?.payload as string)).toEqual({
      triggerId: 1n,
      data: stringToHex('{"y":25}'),
    });
    expect(dataWithId(success(second).responses[0]?.payload as string)).toEqual({
      triggerId: 2n,
      data: stringToHex('{"y":49}'),
    });
  });

  it("hands the component every field of the log, read over WebSocket too", async () => {
    const client = anvil.publicClient();
    const receipt = await client.getTransactionReceipt({ hash: secondTx });
    const block = await client.getBlock({ blockHash: receipt.blockHash });
    const log = receipt.logs[0];
    const expected = {
      address: { rawBytes: log?.address.toLowerCase() },
      data: { topics: log?.topics, data: log?.data },
      txHash: secondTx,
      blockNumber: receipt.blockNumber.toString(),
      logIndex: "1",
      blockHash: receipt.blockHash,
      blockTimestamp: block.timestamp.toString(),
      txIndex: "2",
    };
    const [http, ws] = await Promise.all([
      replay(wasm["host-probe"], secondTx, "--log-index", "1", "--chain", "evm:31337", "--json"),
      replay(wasm["host-probe"], secondTx, "--log-index", "1", "--chain", "evm:7", "--json"),
    ]);
    for (const [r, chain] of [
      [http, "evm:31337"],
      [ws, "evm:7"],
    ] as const) {
      const probe = JSON.parse(success(r).responses[0]?.payload_utf8 as string);
      expect(probe.action.data).toEqual({
        tag: "evm-contract-event",
        val: { chain, log: expected },
      });
    }
  });

  it("prints the replayed log in readable mode", async () => {
    const r = await replay(wasm.square, firstTx, "--log-index", "0", "--chain", "evm:31337");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`log 0 of tx ${firstTx}`);
    expect(r.stdout).toContain("square: trigger 1 from");
  });

  it("lists the log indexes the transaction has when --log-index is not one", async () => {
    failure(
      await replay(wasm.square, secondTx, "--log-index", "0", "--chain", "evm:31337", "--json"),
      "WAVS_ERR_INPUT_INVALID",
      /--log-index 0: .* has no log with that index; its logs have indexes 1$/,
    );
  });

  it("reports a transaction the chain does not have", async () => {
    const missing = `0x${"ab".repeat(32)}` as Hex;
    failure(
      await replay(wasm.square, missing, "--log-index", "0", "--chain", "evm:31337", "--json"),
      "WAVS_ERR_INPUT_INVALID",
      /transaction 0x(ab){32} not found on evm:31337/,
    );
  });

  it("names an unconfigured chain and says how to add it", async () => {
    const r = await replay(wasm.square, firstTx, "--log-index", "0", "--chain", "evm:5", "--json");
    const err = failure(r, "WAVS_ERR_CHAIN_UNKNOWN", /chain evm:5 is not configured/);
    expect(err.message).toContain("evm:31337");
    expect(JSON.parse(r.stdout).error.hint).toContain("[default.chains.evm.5]");
  });

  it("reports an endpoint that does not answer as an RPC failure", async () => {
    failure(
      await replay(wasm.square, firstTx, "--log-index", "0", "--chain", "evm:9", "--json"),
      "WAVS_ERR_CHAIN_RPC",
      /^evm:9 \(http:\/\/127\.0\.0\.1:1\): /,
    );
  });
});

describe.concurrent("wavs exec-aggregator", () => {
  const handler = `0x${"ab".repeat(20)}`;

  it("aggregator-simple submits to its configured chain and handler", async () => {
    const out = onlyJson(
      await wavs(
        "exec-aggregator",
        "--component",
        wasm["aggregator-simple"],
        "--config",
        "chain=evm:31337",
        "--config",
        `service_handler=${handler}`,
        "--json",
      ),
    );
    expect(out.actions).toEqual([
      { submit: { evm: { chain: "evm:31337", address: handler, gas_price: null } } },
    ]);
    expect(typeof out.duration_ms).toBe("number");
    expect(out.logs).toEqual([]);
  });

  it("the compiled (WAT) aggregator answers as aggregator-simple does, and says what is missing", async () => {
    const component = await watFixture("aggregator-submit", "aggregator");
    const run = (...config: string[]) =>
      wavs(
        "exec-aggregator",
        "--component",
        component,
        ...config.flatMap((c) => ["--config", c]),
        "--json",
      );
    const [ok, noChain, badHandler] = await Promise.all([
      run("chain=evm:31337", `service_handler=${handler}`),
      run(`service_handler=${handler}`),
      run("chain=evm:31337", "service_handler=0x1234"),
    ]);
    expect(onlyJson(ok).actions).toEqual([
      { submit: { evm: { chain: "evm:31337", address: handler, gas_price: null } } },
    ]);
    failure(noChain, "WAVS_ERR_EXEC_COMPONENT_ERROR", /config var "chain" is not set/);
    failure(
      badHandler,
      "WAVS_ERR_EXEC_COMPONENT_ERROR",
      /"service_handler" is not a 0x address of 20 bytes/,
    );
  });

  it("timer-aggregator asks for a timer", async () => {
    const out = onlyJson(
      await wavs("exec-aggregator", "--component", wasm["timer-aggregator"], "--json"),
    );
    expect(out.actions).toEqual([{ timer: { delay_secs: 3 } }]);
  });

  it("handle-submit-callback needs --tx-result", async () => {
    failure(
      await wavs(
        "exec-aggregator",
        "--component",
        wasm["aggregator-simple"],
        "--function",
        "handle-submit-callback",
        "--json",
      ),
      "WAVS_ERR_INPUT_INVALID",
      /handle-submit-callback needs --tx-result/,
    );
  });

  it("handle-submit-callback runs with an ok --tx-result and logs an err one", async () => {
    const run = (txResult: string) =>
      wavs(
        "exec-aggregator",
        "--component",
        wasm["aggregator-simple"],
        "--function",
        "handle-submit-callback",
        "--tx-result",
        txResult,
        "--json",
      );
    const [ok, err] = await Promise.all([
      run(`{"ok":{"evm":"0x${"12".repeat(32)}"}}`),
      run('{"err":"reverted"}'),
    ]);
    expect(ok.code).toBe(0);
    expect(onlyJson(ok)).toMatchObject({ actions: [], logs: [] });
    expect(err.code).toBe(0);
    expect(onlyJson(err).logs).toEqual([
      { level: "warn", source: "host", message: "submission failed: reverted" },
    ]);
  });

  it.each([
    [
      ["--function", "handle-submit-callback", "--tx-result", "{oops"],
      /--tx-result: not valid JSON/,
    ],
    [
      ["--function", "handle-submit-callback", "--tx-result", '{"ok":{"evm":"0xq"}}'],
      /--tx-result: ok.evm .* is not 0x-hex/,
    ],
    [["--function", "handle-submit-callback", "--tx-result", '{"ok":1}'], /--tx-result: expected/],
    [
      ["--tx-result", '{"err":"x"}'],
      /--tx-result only applies to --function handle-submit-callback/,
    ],
    [["--function", "run"], /--function run: expected one of/],
    [
      ["--input", '{"operator_response":{"payload":"0x1"}}'],
      /operator_response.payload is not 0x-hex/,
    ],
    [["--input", '{"trigger_action":[]}'], /trigger_action must be an object/],
  ])("bad flags %j", async (flags, message) => {
    failure(
      await wavs("exec-aggregator", "--component", wasm["aggregator-simple"], ...flags, "--json"),
      "WAVS_ERR_INPUT_INVALID",
      message,
    );
  });

  it("refuses an operator component", async () => {
    failure(
      await wavs("exec-aggregator", "--component", wasm.echo, "--json"),
      "WAVS_ERR_COMPONENT_INVALID",
      /operator world; process-input needs the aggregator world/,
    );
  });
});
