// End-to-end tests of the builder commands (`wavs service`, `upload-component`, `deploy-service`,
// `trigger`, `result`): each spawns the real binary (bin/wavs.js over dist/, so run `npx tsc -b`
// first) against real anvil chains and a real `wavs node`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Anvil, deployServiceSet, type ServiceSet, startAnvil } from "@wavs-ts/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, startChainAndHome } from "../../test/helpers/node-network.js";
import type { NodeProcess } from "../../test/helpers/node-process.js";
import { watFixture } from "../../test/helpers/wat-fixture.js";
import { type CliRun, envWithoutWavs, runWavs } from "../../test/helpers/wavs-cli.js";
import { parseService, serviceToJson } from "../service/index.js";

const DIGEST_A = "a".repeat(64);
const DIGEST_B = "b".repeat(64);
const ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const NEW_TRIGGER_HASH = "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68";

/** CliRun `wavs <args>` without the developer's WAVS_* settings, plus `env`. */
function wavs(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return runWavs(args, { cwd: options.cwd, env: { ...envWithoutWavs(), ...options.env } });
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "wavs-builder-test-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("wavs service", () => {
  it("builds a service step by step into JSON that parseService accepts", async () => {
    const dir = mkdtempSync(join(scratch, "svc-"));
    const file = join(dir, "service.json");
    const steps = [
      ["init", "--name", "demo", "--manager-chain", "evm:31337", "--manager-address", ADDRESS],
      ["workflow", "add"],
      [
        "workflow",
        "trigger",
        "--id",
        "default",
        "set-evm",
        "--address",
        ADDRESS,
        "--chain",
        "evm:31337",
        "--event-signature",
        "NewTrigger(bytes)",
      ],
      ["workflow", "component", "--id", "default", "set-source-digest", "--digest", DIGEST_A],
      [
        "workflow",
        "component",
        "--id",
        "default",
        "permissions",
        "--http-hosts",
        "api.example.com,localhost:8080",
        "--file-system",
        "true",
      ],
      ["workflow", "component", "--id", "default", "config", "--values", "a=1", "b=x=y"],
      ["workflow", "component", "--id", "default", "env", "--values", "WAVS_ENV_KEY"],
      ["workflow", "component", "--id", "default", "time-limit", "--seconds", "30"],
      [
        "workflow",
        "submit",
        "--id",
        "default",
        "set-aggregator",
        "--digest",
        DIGEST_B,
        "--config",
        "chain=evm:31337",
      ],
      ["validate"],
    ];
    let last: CliRun | undefined;
    for (const step of steps) {
      last = await wavs(["service", "--file", file, ...step]);
      expect(last.code, `${step.join(" ")}: ${last.stderr}`).toBe(0);
    }
    expect(last?.stdout).toContain("is valid");
    const json: unknown = JSON.parse(readFileSync(file, "utf8"));
    const component = {
      source: { digest: DIGEST_A },
      permissions: {
        allowed_http_hosts: { only: ["api.example.com", "localhost:8080"] },
        file_system: true,
      },
      fuel_limit: null,
      time_limit_seconds: 30,
      config: { a: "1", b: "x=y" },
      env_keys: ["WAVS_ENV_KEY"],
    };
    const expected = {
      name: "demo",
      workflows: {
        default: {
          trigger: {
            evm_contract_event: {
              address: ADDRESS,
              chain: "evm:31337",
              event_hash: NEW_TRIGGER_HASH,
            },
          },
          component,
          submit: {
            aggregator: {
              component: {
                source: { digest: DIGEST_B },
                permissions: {},
                fuel_limit: null,
                time_limit_seconds: null,
                config: { chain: "evm:31337" },
                env_keys: [],
              },
              signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
            },
          },
        },
      },
      status: "active",
      manager: { evm: { chain: "evm:31337", address: ADDRESS } },
    };
    expect(json).toEqual(expected);
    expect(serviceToJson(parseService(json))).toEqual(expected);

    // a second workflow gets a random id; --json prints the whole service as one object
    const add = await wavs(["service", "--file", file, "--json", "workflow", "add"]);
    expect(add.code).toBe(0);
    const ids = Object.keys((JSON.parse(add.stdout) as { workflows: object }).workflows);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toMatch(/^[a-z0-9_-]{3,36}$/);
    const report = await wavs(["service", "--file", file, "--json", "validate"]);
    expect(report.code).toBe(1);
    expect(JSON.parse(report.stdout)).toMatchObject({
      valid: false,
      errors: [{ path: `workflows.${ids[1]}.component` }],
    });
  });

  it("refuses bad values with a message naming the path, leaving the file unchanged", async () => {
    const dir = mkdtempSync(join(scratch, "bad-"));
    const file = join(dir, "service.json");
    for (const step of [
      ["init", "--name", "x"],
      ["workflow", "add", "--id", "wf1"],
    ]) {
      expect((await wavs(["service", "--file", file, ...step])).code).toBe(0);
    }
    const before = readFileSync(file, "utf8");
    const cases: [string[], RegExp][] = [
      [
        ["workflow", "trigger", "--id", "wf1", "set-cron", "--schedule", "61 * * * * *"],
        /workflows\.wf1\.trigger\.cron\.schedule: .*61/,
      ],
      [
        ["workflow", "trigger", "--id", "wf1", "set-cron", "--schedule", "* * * * *"],
        /workflows\.wf1\.trigger\.cron\.schedule: .*5 fields/,
      ],
      [
        ["workflow", "component", "--id", "wf1", "env", "--values", "API_KEY"],
        /workflows\.wf1\.component\.env_keys\[0\]: 'API_KEY' must start with WAVS_ENV/,
      ],
      [
        ["workflow", "component", "--id", "wf1", "set-source-digest", "--digest", "abc"],
        /workflows\.wf1\.component\.source\.digest: 'abc' is not a sha256 digest/,
      ],
      [["workflow", "trigger", "--id", "nope", "set-manual"], /workflows\.nope: no such workflow/],
    ];
    for (const [args, message] of cases) {
      const run = await wavs(["service", "--file", file, ...args]);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(readFileSync(file, "utf8")).toBe(before);
    }
    const json = await wavs([
      "service",
      "--file",
      file,
      "--json",
      "workflow",
      "component",
      "--id",
      "wf1",
      "env",
      "--values",
      "X",
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error.code).toBe("WAVS_ERR_SERVICE_INVALID");

    // validate reports a file edited by hand, and chains missing from wavs.toml
    const home = join(dir, "home");
    mkdirSync(home);
    writeFileSync(
      join(home, "wavs.toml"),
      '[default.chains.evm.1]\nhttp_endpoint = "http://127.0.0.1:1"\n',
    );
    const svc = JSON.parse(before) as Record<string, unknown>;
    svc.manager = { evm: { chain: "evm:31337", address: ADDRESS } };
    svc.workflows = {
      wf1: {
        trigger: { cron: { schedule: "*/99 * * * * *" } },
        component: { source: { digest: DIGEST_A }, permissions: {}, config: {}, env_keys: [] },
        submit: "none",
      },
    };
    writeFileSync(file, JSON.stringify(svc));
    const bad = await wavs(["service", "--file", file, "--home", home, "validate"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error: workflows\.wf1\.trigger\.cron\.schedule: /);
    svc.workflows = {
      wf1: {
        ...(svc.workflows as { wf1: object }).wf1,
        trigger: { cron: { schedule: "*/5 * * * * *" } },
      },
    };
    writeFileSync(file, JSON.stringify(svc));
    const chains = await wavs(["service", "--file", file, "--home", home, "--json", "validate"]);
    expect(chains.code).toBe(1);
    expect(JSON.parse(chains.stdout).errors).toEqual([
      {
        path: "manager.evm.chain",
        message: expect.stringMatching(/'evm:31337' is not configured in .*wavs\.toml/),
      },
    ]);

    // without wavs.toml, a `wavs dev` network's chain counts as configured (and no warning)
    const devHome = join(dir, "dev-home");
    mkdirSync(join(devHome, ".wavs-dev"), { recursive: true });
    const devState = {
      chain: "evm:31337",
      rpc_url: "http://127.0.0.1:1",
      service_manager: ADDRESS,
      trigger: ADDRESS,
      submit: ADDRESS,
    };
    writeFileSync(join(devHome, ".wavs-dev", "state.json"), JSON.stringify(devState));
    const dev = await wavs(["service", "--file", file, "--home", devHome, "--json", "validate"]);
    expect(JSON.parse(dev.stdout)).toEqual({ valid: true, errors: [], warnings: [] });
    writeFileSync(
      join(devHome, ".wavs-dev", "state.json"),
      JSON.stringify({ ...devState, chain: "evm:1" }),
    );
    const other = await wavs(["service", "--file", file, "--home", devHome, "--json", "validate"]);
    expect(JSON.parse(other.stdout).errors).toEqual([
      {
        path: "manager.evm.chain",
        message: expect.stringContaining("not the `wavs dev` network's chain (evm:1)"),
      },
    ]);
  });
});

describe("wavs trigger and wavs result (real anvil)", () => {
  let anvil: Anvil;
  let set: ServiceSet;
  let home: string;
  beforeAll(async () => {
    anvil = await startAnvil();
    set = await deployServiceSet(anvil.clients(0));
    home = mkdtempSync(join(scratch, "home-"));
    writeFileSync(
      join(home, "wavs.toml"),
      `[default.chains.evm.31337]\nhttp_endpoint = "${anvil.rpcUrl}"\n\n[cli]\naggregator_evm_credential = "${anvil.privateKeys[1]}"\n`,
    );
  });
  afterAll(async () => anvil?.stop());

  it("adds triggers with increasing ids and says when a result is missing", async () => {
    const common = ["--contract", set.trigger, "--chain", "evm:31337", "--home", home];
    const first = await wavs(["trigger", "--input", "hello", ...common]);
    expect(first.code, first.stderr).toBe(0);
    // stdout is the id alone (for ID=$(wavs trigger ...)); the transaction goes to stderr
    expect(first.stdout).toBe("1\n");
    expect(first.stderr).toMatch(
      new RegExp(
        `^trigger 1 added on ${set.trigger} \\(evm:31337, block \\d+, tx 0x[0-9a-f]{64}\\)\n$`,
      ),
    );
    const second = await wavs(["trigger", "--input", "0x0102", ...common, "--json"]);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ trigger_id: "2", chain: "evm:31337" });

    const result = await wavs([
      "result",
      "1",
      "--contract",
      set.submit,
      "--chain",
      "evm:31337",
      "--home",
      home,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`trigger 1 has no result on ${set.submit} yet`);
    expect(result.stderr).toContain("WAVS_ERR_RESULT_NOT_FOUND");

    // --wait looks again until its time is up, then reports the same
    const waited = await wavs([
      "result",
      "2",
      "--contract",
      set.submit,
      "--chain",
      "evm:31337",
      "--home",
      home,
      "--wait",
      "1",
      "--json",
    ]);
    expect(waited.code).toBe(1);
    expect(JSON.parse(waited.stdout).error.code).toBe("WAVS_ERR_RESULT_NOT_FOUND");
    const badWait = await wavs(["result", "2", ...common, "--wait", "soon", "--json"]);
    expect(badWait.code).toBe(1);
    expect(JSON.parse(badWait.stdout).error).toMatchObject({
      code: "WAVS_ERR_INPUT_INVALID",
      message: expect.stringContaining("--wait"),
    });
  });

  it("takes contracts, chain and (dev) account from <home>/.wavs-dev/state.json", async () => {
    const devHome = mkdtempSync(join(scratch, "dev-"));
    mkdirSync(join(devHome, ".wavs-dev"));
    writeFileSync(
      join(devHome, ".wavs-dev", "state.json"),
      JSON.stringify({
        chain: "evm:31337",
        rpc_url: anvil.rpcUrl,
        service_manager: set.serviceManager,
        trigger: set.trigger,
        submit: set.submit,
        nodes: [],
      }),
    );
    const run = await wavs(["trigger", "--input", "@/dev/null", "--home", devHome, "--json"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ trigger_id: "3", contract: set.trigger });
    const result = await wavs(["result", "3", "--home", devHome, "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).error.code).toBe("WAVS_ERR_RESULT_NOT_FOUND");

    const none = await wavs([
      "trigger",
      "--input",
      "x",
      "--home",
      mkdtempSync(join(scratch, "empty-")),
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("--contract <0x..> is required");
  });
});

describe("wavs upload-component and deploy-service (real node)", () => {
  let net: Awaited<ReturnType<typeof startChainAndHome>>;
  let node: NodeProcess;
  beforeAll(async () => {
    net = await startChainAndHome();
    node = await net.startNode();
  });
  afterAll(async () => net?.close(node));

  it("uploads a component, stores a service, sets the URI and registers it", async () => {
    const env = { WAVS_AGGREGATOR_EVM_CREDENTIAL: net.anvil.privateKeys[0] ?? "" };
    const common = ["--home", net.home, "--wavs-endpoint", node.url];
    const upload = await wavs(["upload-component", await watFixture("echo"), ...common, "--json"], {
      env,
    });
    expect(upload.code, upload.stdout + upload.stderr).toBe(0);
    const { digest } = JSON.parse(upload.stdout) as { digest: string };
    expect(digest).toMatch(/^[0-9a-f]{64}$/);

    const file = join(net.home, "service.json");
    const steps = [
      [
        "init",
        "--name",
        "deployed",
        "--manager-chain",
        "evm:31337",
        "--manager-address",
        net.set.serviceManager,
      ],
      ["workflow", "add"],
      [
        "workflow",
        "trigger",
        "--id",
        "default",
        "set-evm",
        "--address",
        net.set.trigger,
        "--chain",
        "evm:31337",
        "--event-hash",
        NEW_TRIGGER_HASH,
      ],
      ["workflow", "component", "--id", "default", "set-source-digest", "--digest", digest],
      ["validate", "--home", net.home, "--check-chain"],
    ];
    for (const step of steps) {
      const run = await wavs(["service", "--file", file, ...step]);
      expect(run.code, `${step.join(" ")}: ${run.stderr}`).toBe(0);
    }

    const deploy = await wavs(
      ["deploy-service", "--service-file", file, "--set-uri", ...common, "--json"],
      { env },
    );
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
    const out = JSON.parse(deploy.stdout) as { service_uri: string; set_uri_tx: string };
    expect(out.service_uri).toMatch(new RegExp(`^${node.url}/dev/services/[0-9a-f]+$`));
    expect(out.set_uri_tx).toMatch(/^0x[0-9a-f]{64}$/);
    expect(deploy.stdout).not.toContain(net.anvil.privateKeys[0]);

    const listed = await api(`${node.url}/services`, "GET");
    const services = (listed.json as { services: { name: string }[] }).services;
    expect(services.map((s) => s.name)).toContain("deployed");

    // registering again (what an operator does to opt in) is not an error
    const manager = ["--manager", net.set.serviceManager, "--chain", "evm:31337"];
    const again = await wavs(["deploy-service", ...manager, ...common, "--json"], { env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      service_id: expect.stringMatching(/^[0-9a-f]{64}$/),
      manager: net.set.serviceManager,
      chain: "evm:31337",
      nodes: [{ url: node.url, status: "already registered" }],
    });

    // a new definition with --set-uri: the node follows ServiceURIUpdated, the CLI waits for it
    const limit = ["workflow", "component", "--id", "default", "time-limit", "--seconds", "9"];
    expect((await wavs(["service", "--file", file, ...limit])).code).toBe(0);
    const update = await wavs(
      ["deploy-service", "--service-file", file, "--set-uri", ...common, "--json"],
      { env },
    );
    expect(update.code, update.stdout + update.stderr).toBe(0);
    expect(JSON.parse(update.stdout).nodes).toEqual([{ url: node.url, status: "updated" }]);
    const running = await api(`${node.url}/services/evm:31337/${net.set.serviceManager}`, "GET");
    expect(running.json).toMatchObject({
      workflows: { default: { component: { time_limit_seconds: 9 } } },
    });
    const plain = await wavs(["deploy-service", ...manager, ...common], { env });
    expect(plain.stdout).toMatch(
      new RegExp(
        `^service [0-9a-f]{64} \\(manager ${net.set.serviceManager} on evm:31337\\)\n  ${node.url}: already registered\n$`,
      ),
    );

    // --set-uri needs a URI, and the two sources exclude each other
    const noUri = await wavs(["deploy-service", "--set-uri", ...manager, ...common], { env });
    expect(noUri.code).toBe(1);
    expect(noUri.stderr).toContain("--set-uri needs the URI to set");
    const both = await wavs(
      ["deploy-service", "--service-uri", "http://x", "--service-file", file, ...common],
      { env },
    );
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("at most one of --service-uri and --service-file");

    // without the token the node refuses, and the CLI says how to fix it
    const noToken = await wavs([
      "upload-component",
      await watFixture("echo"),
      "--wavs-endpoint",
      node.url,
    ]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/401[\s\S]*bearer_token/);
  });
});
