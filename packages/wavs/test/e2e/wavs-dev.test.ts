// `wavs dev` end to end: the real binary starts anvil, the contracts and three operator
// processes; the demo lands a result on-chain; a second start resumes; the long-running mode
// serves the builder commands, survives an operator's death and stops cleanly on SIGINT, also
// while it is still starting.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitUntil } from "../helpers/wait-until.js";
import { captureOutput, REPO_ROOT, runWavs, startWavsDev, WAVS_BIN } from "../helpers/wavs-cli.js";

const ROOT = REPO_ROOT;
const FREE_PORTS = ["--port", "0", "--p2p-port", "0", "--anvil-port", "0"];

/** Run the wavs binary to its end. */
function wavs(args: string[], cwd = ROOT) {
  return runWavs(args, { cwd });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const homes: string[] = [];
function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), "wavs-dev-test-"));
  homes.push(home);
  return home;
}

afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe("wavs dev --demo", () => {
  it("lands the square of the demo input on-chain; a second start resumes, --reset starts over", async () => {
    const home = newHome();
    const first = await wavs(["dev", "--demo", "--json", "--home", home, ...FREE_PORTS]);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const demo = JSON.parse(first.stdout);
    expect(demo).toMatchObject({
      service: "square",
      trigger_id: "1",
      input: '{"x":7}',
      output: '{"y":49}',
      operators: 3,
    });
    expect(demo.result_tx).toMatch(/^0x[0-9a-f]{64}$/);
    expect(demo.signers.length).toBeGreaterThanOrEqual(2);
    // nothing is left running, and the chain state was saved for the next start
    const state = JSON.parse(readFileSync(join(home, ".wavs-dev", "state.json"), "utf8"));
    expect(existsSync(join(home, ".wavs-dev", "pids.json"))).toBe(false);
    expect(existsSync(join(home, ".wavs-dev", "anvil-state.json"))).toBe(true);

    const again = await wavs([
      "dev",
      "--demo",
      "--json",
      "--home",
      home,
      "--service",
      "echo",
      "--input",
      "hello again",
      ...FREE_PORTS,
    ]);
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ service: "echo", output: "hello again" });
    // same contracts, and the square trigger contract's counter went on (shared ids per contract)
    const resumed = JSON.parse(readFileSync(join(home, ".wavs-dev", "state.json"), "utf8"));
    expect(resumed.services).toEqual(state.services);
    const square = await wavs(["dev", "--demo", "--json", "--home", home, ...FREE_PORTS]);
    expect(JSON.parse(square.stdout)).toMatchObject({ trigger_id: "2", output: '{"y":49}' });

    const reset = await wavs(["dev", "--demo", "--json", "--reset", "--home", home, ...FREE_PORTS]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ trigger_id: "1", output: '{"y":49}' });
  }, 240_000);

  it("runs the builder's own component (--component, a TypeScript entry) with one operator", async () => {
    const home = newHome();
    const run = await wavs([
      "dev",
      "--demo",
      "--json",
      "--operators",
      "1",
      "--component",
      join(ROOT, "examples", "components", "echo", "index.ts"),
      "--input",
      "from my component",
      "--home",
      home,
      ...FREE_PORTS,
    ]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      service: "echo",
      output: "from my component",
      operators: 1,
      signers: [expect.stringMatching(/^0x/)],
    });
  }, 180_000);

  it("refuses bad flags and a busy port with a clear error, starting nothing", async () => {
    const home = newHome();
    const operators = await wavs(["dev", "--operators", "0", "--home", home, "--json"]);
    expect(operators.code).toBe(1);
    expect(JSON.parse(operators.stdout).error).toMatchObject({
      code: "WAVS_ERR_INPUT_INVALID",
      message: expect.stringContaining("--operators"),
    });
    const missing = await wavs(["dev", "--component", "nope.wasm", "--home", home, "--json"]);
    expect(JSON.parse(missing.stdout).error).toMatchObject({
      code: "WAVS_ERR_INPUT_INVALID",
      message: expect.stringContaining("nope.wasm"),
    });
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const busyPort = (blocker.address() as { port: number }).port;
    try {
      const busy = await wavs([
        "dev",
        "--home",
        home,
        "--json",
        ...FREE_PORTS,
        "--port",
        String(busyPort),
      ]);
      expect(busy.code).toBe(1);
      const error = JSON.parse(busy.stdout).error;
      expect(error.code).toBe("WAVS_ERR_DEV_BUSY");
      expect(error.message).toContain(String(busyPort));
      expect(error.hint).toContain("--port");
    } finally {
      blocker.close();
    }
  }, 120_000);
});

describe("wavs dev (long-running)", () => {
  let dev: ChildProcess | undefined;
  afterAll(() => {
    if (dev && dev.exitCode === null) dev.kill("SIGKILL");
  });

  it("serves trigger/result, refuses a second network on the same directory, keeps landing with an operator down, stops cleanly on SIGINT", async () => {
    const home = newHome();
    const started = await startWavsDev(["dev", "--home", home, ...FREE_PORTS], 180_000);
    dev = started.child;
    const { out, exited } = started;
    expect(out.stdout).toContain("wavs trigger --service square");
    // the token is in the 0600 state file, never printed
    const state = JSON.parse(readFileSync(join(home, ".wavs-dev", "state.json"), "utf8"));
    expect(out.stdout + out.stderr).not.toContain(state.token);
    // the dashboard's address is printed, and each operator's page shows the others
    const urls = (state.nodes as { url: string }[]).map((n) => n.url);
    expect(out.stdout).toContain(`dashboard  ${urls[0]}/`);
    for (const [i, url] of urls.entries()) {
      const info = (await (await fetch(`${url}/info`)).json()) as { dashboard_peers: string[] };
      expect(info.dashboard_peers).toEqual(urls.filter((_, j) => j !== i));
      expect((await fetch(`${url}/`)).headers.get("content-type")).toContain("text/html");
      // ready means gossip is too: each operator counts the other two on both services' topics
      const p2p = (await (await fetch(`${url}/p2p/status`)).json()) as {
        topics: { peers: number }[];
      };
      expect(p2p.topics.map((t) => t.peers)).toEqual([2, 2]);
    }

    const landed = async (input: string): Promise<string[]> => {
      const fired = await wavs(
        ["trigger", "--service", "echo", "--input", input, "--home", home, "--json"],
        home,
      );
      expect(fired.code, fired.stderr).toBe(0);
      const id = JSON.parse(fired.stdout).trigger_id as string;
      const result = await waitUntil(
        async () => {
          const r = await wavs(["result", id, "--service", "echo", "--json"], home);
          return r.code === 0 ? JSON.parse(r.stdout) : undefined;
        },
        `result of trigger ${id}`,
        60_000,
      );
      expect(result.text).toBe(input);
      return result.signers;
    };
    expect((await landed("hello dev")).length).toBeGreaterThanOrEqual(2);

    const second = await wavs(["dev", "--home", home, "--json", ...FREE_PORTS]);
    expect(second.code).toBe(1);
    expect(JSON.parse(second.stdout).error.code).toBe("WAVS_ERR_DEV_BUSY");

    const pids = JSON.parse(readFileSync(join(home, ".wavs-dev", "pids.json"), "utf8")) as {
      children: number[];
    };
    // the operators run with glibc's allocator settings (a third less memory resident)
    for (const pid of pids.children.slice(1)) {
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      expect(environ).toEqual(
        expect.arrayContaining(["MALLOC_MMAP_THRESHOLD_=131072", "MALLOC_ARENA_MAX=2"]),
      );
    }
    // children[0] is anvil; kill the third operator the hard way
    process.kill(pids.children[3]!, "SIGKILL");
    await waitUntil(
      () => (out.stderr.includes("operator 3 exited") ? true : undefined),
      "wavs dev to report the dead operator",
      30_000,
    );
    expect(await landed("two of three")).toHaveLength(2);

    dev.kill("SIGINT");
    expect(await exited).toBe(0);
    for (const pid of pids.children) expect(alive(pid)).toBe(false);
    expect(existsSync(join(home, ".wavs-dev", "pids.json"))).toBe(false);
  }, 300_000);

  it("stopped by SIGTERM while still starting, it leaves nothing running", async () => {
    const home = newHome();
    const child = spawn(process.execPath, [WAVS_BIN, "dev", "--home", home, ...FREE_PORTS], {
      stdio: "pipe",
    });
    const out = captureOutput(child);
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      // the operators are up; services, keys and gossip are still being set up
      await waitUntil(
        () => (out.stderr.includes("operator node(s) up") ? true : undefined),
        `the operators to start (stderr: ${out.stderr})`,
        180_000,
      );
      const pids = JSON.parse(readFileSync(join(home, ".wavs-dev", "pids.json"), "utf8")) as {
        children: number[];
      };
      expect(pids.children.length).toBe(4);
      child.kill("SIGTERM");
      expect(await exited).toBe(143);
      expect(out.stdout).not.toContain("WAVS dev network is up");
      expect(out.stderr).toContain("stopped by SIGTERM while starting; nothing is left running");
      await waitUntil(
        () => (pids.children.every((pid) => !alive(pid)) ? true : undefined),
        "anvil and the operators to be gone",
        10_000,
      );
      expect(existsSync(join(home, ".wavs-dev", "pids.json"))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 240_000);
});
