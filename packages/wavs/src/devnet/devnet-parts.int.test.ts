import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WavsError } from "@wavs-ts/errors";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { operatorMnemonic, writeOperatorConfig } from "./operator-config.js";
import { pickPorts } from "./ports.js";
import { clearPreviousRun, writePids } from "./previous-run.js";

const scratch = mkdtempSync(join(tmpdir(), "wavs-devnet-parts-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("dev operator config", () => {
  it("keeps the signing mnemonic across rewrites and writes a config the node loads", () => {
    const home = join(scratch, "op");
    const config = {
      home,
      rpcUrl: "http://127.0.0.1:8545",
      chainId: 31337,
      aggregatorKey: `0x${"11".repeat(32)}` as const,
      token: "t".repeat(32),
      p2pPort: 9000,
      peerP2pPorts: [9001, 9002],
      logLevel: "warn",
      enginePoolSize: 3,
      peerUrls: ["http://127.0.0.1:8001", "http://127.0.0.1:8002"],
    };
    writeOperatorConfig(config);
    const mnemonic = operatorMnemonic(home);
    writeOperatorConfig({ ...config, p2pPort: 9100, peerP2pPorts: [] });
    expect(operatorMnemonic(home)).toBe(mnemonic);
    expect(statSync(join(home, "wavs.toml")).mode & 0o777).toBe(0o600);
    const loaded = loadConfig({ section: "wavs", home, env: {} }).config;
    expect(loaded.signing_mnemonic).toBe(mnemonic);
    expect(loaded.p2p).toEqual({ type: "disabled" });
    expect(loaded.engine_pool_size).toBe(3);
    // each dashboard shows the other operators, and lets their pages read it
    expect(loaded.dashboard_peers).toEqual(["http://127.0.0.1:8001", "http://127.0.0.1:8002"]);
    expect(loaded.cors_allowed_origins).toEqual(loaded.dashboard_peers);
    expect(loaded.chains.evm["31337"]).toMatchObject({
      http_endpoint: "http://127.0.0.1:8545",
      ws_endpoints: ["ws://127.0.0.1:8545"],
    });
    writeOperatorConfig(config);
    expect(loadConfig({ section: "wavs", home, env: {} }).config.p2p).toEqual({
      type: "remote",
      listen_port: 9000,
      bootstrap_nodes: ["/ip4/127.0.0.1/tcp/9001", "/ip4/127.0.0.1/tcp/9002"],
    });
  });
});

describe("dev ports", () => {
  it("gives consecutive ports from a base, distinct free ones for 0, and names the flag when one is taken", async () => {
    const free = await pickPorts(0, 3, "--port");
    expect(new Set(free).size).toBe(3);
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const taken = (server.address() as { port: number }).port;
    try {
      const err = await pickPorts(taken, 2, "--p2p-port").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WavsError);
      expect((err as WavsError).code).toBe("WAVS_ERR_DEV_BUSY");
      expect((err as WavsError).message).toContain(`port ${taken}`);
      expect((err as WavsError).hint).toContain("--p2p-port");
    } finally {
      server.close();
    }
  });
});

describe("a previous dev run", () => {
  it("stops processes a crashed run left behind (only those naming its directory)", async () => {
    const root = join(scratch, "root-a");
    const pidFile = join(scratch, "pids-a.json");
    // a leftover "node" of that network, and an unrelated process
    const leftover = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", root]);
    const unrelated = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
    const gone = new Promise((r) => leftover.once("exit", r));
    try {
      await new Promise((r) => setTimeout(r, 200));
      // the CLI pid of the crashed run is dead (pid 2^22 - 1 does not exist here)
      writePids(pidFile, { cli: 4_194_303, children: [leftover.pid!, unrelated.pid!] });
      expect(await clearPreviousRun(pidFile, root)).toBe(1);
      await gone;
      expect(unrelated.exitCode).toBeNull();
      expect(() => readFileSync(pidFile)).toThrow();
    } finally {
      leftover.kill("SIGKILL");
      unrelated.kill("SIGKILL");
    }
  });

  it("refuses while the network's CLI still runs, and forgets an unreadable pid file", async () => {
    const pidFile = join(scratch, "pids-b.json");
    const cli = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "wavs", "dev"]);
    try {
      await new Promise((r) => setTimeout(r, 200));
      writePids(pidFile, { cli: cli.pid!, children: [] });
      const err = await clearPreviousRun(pidFile, "/x").catch((e: unknown) => e);
      expect((err as WavsError).code).toBe("WAVS_ERR_DEV_BUSY");
      expect((err as WavsError).message).toContain(String(cli.pid));
    } finally {
      cli.kill("SIGKILL");
    }
    writeFileSync(pidFile, "{not json");
    expect(await clearPreviousRun(pidFile, "/x")).toBe(0);
  });
});
