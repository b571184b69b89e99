import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Anvil, deployServiceSet, type ServiceSet, startAnvil } from "@wavs-ts/contracts";
import { type NodeProcess, startNodeProcess, writeConfig } from "./node-process.js";

export const TEST_MNEMONIC = "test test test test test test test test test test test junk";
export const TOKEN = "e2e-secret-token";

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A real anvil with our contracts, and a home directory with a wavs.toml pointing at it. */
export async function startChainAndHome(options: { pollMs?: number; extraToml?: string } = {}) {
  const anvil: Anvil = await startAnvil();
  const set: ServiceSet = await deployServiceSet(anvil.clients(0));
  const home = mkdtempSync(join(tmpdir(), "wavs-node-e2e-"));
  const port = await freePort();
  writeConfig(
    home,
    `[default]
data = "${join(home, "data")}"
signing_mnemonic = "${TEST_MNEMONIC}"
dev_endpoints_enabled = true
bearer_token = "${TOKEN}"
log_level = "info"
${options.extraToml ?? ""}

[default.chains.evm.31337]
http_endpoint = "${anvil.rpcUrl}"
poll_interval_ms = ${options.pollMs ?? 100}
`,
  );
  return {
    anvil,
    set,
    home,
    port,
    startNode: (env: Record<string, string> = {}): Promise<NodeProcess> =>
      startNodeProcess(home, port, env),
    async close(node?: NodeProcess) {
      if (node && node.child.exitCode === null) await node.stop();
      await anvil.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** JSON request helper with the bearer token. */
export async function api(
  url: string,
  method: string,
  body?: unknown,
  options: { token?: string | null; raw?: Uint8Array } = {},
): Promise<{ status: number; json: unknown; text: string; headers: Headers }> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKEN : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: RequestInit["body"] | undefined;
  if (options.raw) {
    headers["content-type"] = "application/wasm";
    payload = Buffer.from(options.raw);
  } else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  const res = await fetch(url, { method, headers, body: payload ?? null });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Upload a component file through POST /dev/components; returns its digest. */
export async function uploadComponent(url: string, path: string): Promise<string> {
  const res = await api(`${url}/dev/components`, "POST", undefined, { raw: readFileSync(path) });
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${res.text}`);
  return (res.json as { digest: string }).digest;
}

export { waitUntil } from "./wait-until.js";
