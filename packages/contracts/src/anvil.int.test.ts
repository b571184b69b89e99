import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEther } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Anvil, anvilBinaryPath, startAnvil } from "./anvil.js";

const here = dirname(fileURLToPath(import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitDead(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

// Runs a child Node process that starts an anvil (the built package: `npm test` builds first)
// and then ends in the given way; returns the anvil's pid so the test can check it did not
// outlive its parent.
async function anvilPidFromChild(ending: "exit" | "SIGTERM"): Promise<number> {
  const script = `
    import { startAnvil } from ${JSON.stringify(join(here, "..", "dist", "anvil.js"))};
    const anvil = await startAnvil();
    process.stdout.write("pid " + anvil.pid + "\\n");
    if (${JSON.stringify(ending)} === "exit") process.exit(0);
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const pid = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /pid (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`child exited early (${code}): ${out}`)));
  });
  if (ending === "SIGTERM") child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  return pid;
}

describe("startAnvil", () => {
  let anvil: Anvil;

  beforeAll(async () => {
    anvil = await startAnvil();
  });

  afterAll(async () => {
    await anvil?.stop();
  });

  it("finds the binary shipped by the npm package", () => {
    expect(anvilBinaryPath()).toMatch(/@foundry-rs\/anvil/);
  });

  it("fails cleanly when the binary cannot be run", async () => {
    await expect(startAnvil({ binary: "/nonexistent/anvil" })).rejects.toThrow(/ENOENT/);
    await expect(startAnvil({ args: ["--no-such-flag"] })).rejects.toThrow(/exited/);
  });

  it("answers on a loopback port with funded dev accounts", async () => {
    expect(anvil.rpcUrl).toBe(`http://127.0.0.1:${anvil.port}`);
    expect(anvil.port).toBeGreaterThan(0);
    expect(anvil.chainId).toBe(31337);
    expect(anvil.privateKeys).toHaveLength(10);
    const client = anvil.publicClient();
    expect(await client.getChainId()).toBe(31337);
    const address = anvil.walletClient(0).account.address;
    expect(await client.getBalance({ address })).toBeGreaterThan(parseEther("1000"));
  });

  it("writes no old block states to disk, which anvil would leave behind when it exits", async () => {
    const home = mkdtempSync(join(tmpdir(), "wavs-anvil-home-"));
    const own = await startAnvil({ env: { ...process.env, HOME: home } });
    try {
      // past anvil's in-memory limit (~2,000 states): without the setting, 3,000 blocks
      // left ~670 MB under <home>/.foundry/anvil/tmp
      await own.mine(3000);
      const address = own.walletClient(0).account.address;
      const recent = (await own.blockNumber()) - 10n;
      expect(await own.publicClient().getBalance({ address, blockNumber: recent })).toBeGreaterThan(
        0n,
      );
    } finally {
      await own.stop();
    }
    const tmp = join(home, ".foundry", "anvil", "tmp");
    const left = existsSync(tmp) ? readdirSync(tmp) : [];
    rmSync(home, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  it("mines blocks on demand", async () => {
    const before = await anvil.blockNumber();
    await anvil.mine(3);
    expect(await anvil.blockNumber()).toBe(before + 3n);
    await anvil.mine();
    expect(await anvil.blockNumber()).toBe(before + 4n);
  });

  it("reverts to a snapshot", async () => {
    const wallet = anvil.walletClient(1);
    const client = anvil.publicClient();
    const to = anvil.walletClient(2).account.address;
    const balance = await client.getBalance({ address: to });
    const height = await anvil.blockNumber();
    const id = await anvil.snapshot();
    const hash = await wallet.sendTransaction({ to, value: parseEther("1") });
    await client.waitForTransactionReceipt({ hash });
    expect(await client.getBalance({ address: to })).toBe(balance + parseEther("1"));
    await anvil.revert(id);
    expect(await client.getBalance({ address: to })).toBe(balance);
    expect(await anvil.blockNumber()).toBe(height);
    // A snapshot is consumed by reverting to it.
    await expect(anvil.revert(id)).rejects.toThrow(/unknown snapshot/);
  });

  it("reorgs the last blocks: same height, new hashes, their transactions gone", async () => {
    const client = anvil.publicClient();
    await anvil.mine(2);
    const wallet = anvil.walletClient(3);
    const hash = await wallet.sendTransaction({ to: wallet.account.address, value: 1n });
    const receipt = await client.waitForTransactionReceipt({ hash });
    const height = await anvil.blockNumber();
    expect(receipt.blockNumber).toBe(height);
    const keep = await client.getBlock({ blockNumber: height - 2n });
    const replaced = await client.getBlock({ blockNumber: height - 1n });
    const tip = await client.getBlock({ blockNumber: height });

    await anvil.reorg(2);

    expect(await anvil.blockNumber()).toBe(height);
    expect((await client.getBlock({ blockNumber: height - 2n })).hash).toBe(keep.hash);
    expect((await client.getBlock({ blockNumber: height - 1n })).hash).not.toBe(replaced.hash);
    const newTip = await client.getBlock({ blockNumber: height });
    expect(newTip.hash).not.toBe(tip.hash);
    expect(newTip.transactions).not.toContain(hash);
    await expect(client.getTransactionReceipt({ hash })).rejects.toThrow();
  });

  it("kills anvil when its parent process exits or is terminated without stopping it", async () => {
    const pids = await Promise.all([anvilPidFromChild("exit"), anvilPidFromChild("SIGTERM")]);
    for (const pid of pids) expect(await waitDead(pid)).toBe(true);
  });

  it("stops (idempotently) and frees the port", async () => {
    const { pid, rpcUrl } = anvil;
    await anvil.stop();
    await anvil.stop();
    expect(isAlive(pid)).toBe(false);
    await expect(fetch(rpcUrl, { method: "POST" })).rejects.toThrow();
  });
});
