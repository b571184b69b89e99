import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Anvil, deployServiceSet, type ServiceSet, startAnvil } from "@wavs-ts/contracts";
import { type NodeProcess, startNodeProcess, writeConfig } from "./node-process.js";

export const TEST_MNEMONIC = "test test test test test test test test test test test junk";
export const TOKEN = "e2e-secret-token";

/** A TCP port free on every interface, for a process started next to bind. */
export async function freePort(): Promise<number> {
  // Below Linux's ephemeral range (32768+): a port the OS picked for us there can be handed
  // out again as the local port of any outgoing connection (and the suite makes thousands)
  // before the process it was picked for binds it. Here only another pick can collide, and
  // picks are random; the port must be free on every interface (P2P listens on 0.0.0.0).
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_FLOOR + Math.floor(Math.random() * (PORT_CEILING - PORT_FLOOR));
    // never the same port twice in one test process: the first may not be bound yet
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${PORT_FLOOR} and ${PORT_CEILING}`);
}

const handedOut = new Set<number>();
const PORT_FLOOR = 20_000;
const PORT_CEILING = 32_000;

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "0.0.0.0", () => srv.close(() => resolve(true)));
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
