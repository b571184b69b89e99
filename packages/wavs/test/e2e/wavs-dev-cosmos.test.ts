// `wavs dev --cosmos` end to end: the real binary starts anvil, a wasmd chain with the example
// CosmWasm contracts and three operators; `wavs trigger` on the square-cosmos service emits on
// Cosmos and the result lands on the CosmWasm handler; SIGINT stops everything; a second start
// resumes the chain.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureWasmd } from "../../src/devnet/wasmd-binary.js";
import { WASMD_HOOK_TIMEOUT } from "../helpers/cosmos-harness.js";
import { waitUntil } from "../helpers/wait-until.js";
import { runWavs, startWavsDev } from "../helpers/wavs-cli.js";

const FREE_PORTS = ["--port", "0", "--p2p-port", "0", "--anvil-port", "0", "--cosmos-port", "0"];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("wavs dev --cosmos", () => {
  const home = mkdtempSync(join(tmpdir(), "wavs-dev-cosmos-"));
  let dev: ChildProcess | undefined;

  beforeAll(async () => {
    await ensureWasmd();
  }, WASMD_HOOK_TIMEOUT);

  afterAll(async () => {
    // after a failure: stop it the clean way (it stops its chains and nodes), at worst kill it
    if (dev && dev.exitCode === null) {
      const running = dev;
      const exited = new Promise((r) => running.once("exit", r));
      running.kill("SIGINT");
      const timer = setTimeout(() => running.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  }, 60_000);

  /** Start the network; resolves with its stdout once it is up. */
  async function start(): Promise<{ exited: Promise<number | null>; stdout: () => string }> {
    const run = await startWavsDev(["dev", "--cosmos", "--home", home, ...FREE_PORTS], 240_000);
    dev = run.child;
    return { exited: run.exited, stdout: () => run.out.stdout };
  }

  /** `wavs trigger` on square-cosmos, then `wavs result` until it lands. */
  async function squareOnCosmos(x: number) {
    const fired = await runWavs(
      ["trigger", "--service", "square-cosmos", "--input", `{"x":${x}}`, "--home", home, "--json"],
      { cwd: home },
    );
    expect(fired.code, fired.stderr).toBe(0);
    const trigger = JSON.parse(fired.stdout);
    expect(trigger.chain).toBe("cosmos:wasmd-1");
    const result = await waitUntil(
      async () => {
        const r = await runWavs(
          ["result", trigger.trigger_id, "--service", "square-cosmos", "--home", home, "--json"],
          { cwd: home },
        );
        return r.code === 0 ? JSON.parse(r.stdout) : undefined;
      },
      `result of Cosmos trigger ${trigger.trigger_id}`,
      90_000,
    );
    return { trigger, result };
  }

  it("runs a Cosmos chain beside anvil; a Cosmos trigger's result lands on Cosmos; SIGINT stops it; a restart resumes the chain", async () => {
    const first = await start();
    const state = JSON.parse(readFileSync(join(home, ".wavs-dev", "state.json"), "utf8"));
    expect(state.cosmos).toMatchObject({
      chain: "cosmos:wasmd-1",
      trigger: expect.stringMatching(/^wasm1/),
      service_manager: expect.stringMatching(/^wasm1/),
      handler: expect.stringMatching(/^wasm1/),
    });
    expect(first.stdout()).toContain(`cosmos     cosmos:wasmd-1  ${state.cosmos.rpc_url} (wasmd)`);
    expect(first.stdout()).toContain("wavs trigger --service square-cosmos");
    // the faucet's mnemonic stays in the 0600 state file
    expect(first.stdout()).not.toContain(state.cosmos.faucet_mnemonic);
    const { trigger, result } = await squareOnCosmos(6);
    expect(trigger.trigger_id).toBe("1");
    expect(result.text).toBe('{"y":36}');
    // landed on the Cosmos handler by one operator's Cosmos account
    expect(result).toMatchObject({ chain: "cosmos:wasmd-1", handler: state.cosmos.handler });
    expect(first.stdout()).toContain("(triggered on cosmos:wasmd-1, results there too)");

    const pids = JSON.parse(readFileSync(join(home, ".wavs-dev", "pids.json"), "utf8"))
      .children as number[];
    dev!.kill("SIGINT");
    expect(await first.exited).toBe(0);
    for (const pid of pids) expect(alive(pid), `process ${pid} still running`).toBe(false);

    const second = await start();
    const resumed = JSON.parse(readFileSync(join(home, ".wavs-dev", "state.json"), "utf8"));
    expect(resumed.cosmos.trigger).toBe(state.cosmos.trigger);
    const again = await squareOnCosmos(4);
    // the same contract counts on
    expect(again.trigger.trigger_id).toBe("2");
    expect(again.result.text).toBe('{"y":16}');
    const pidsAgain = JSON.parse(readFileSync(join(home, ".wavs-dev", "pids.json"), "utf8"))
      .children as number[];
    dev!.kill("SIGINT");
    expect(await second.exited).toBe(0);
    for (const pid of pidsAgain) expect(alive(pid), `process ${pid} still running`).toBe(false);
  }, 600_000);
});
