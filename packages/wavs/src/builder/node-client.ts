/** The few node HTTP API calls the builder commands make, with the bearer token when configured. */
import { readFileSync } from "node:fs";
import { redactUrl } from "../config/index.js";
import { ERROR_CODES, type ErrorCode, WavsError } from "../internal/index.js";

/** Where the node is and the token for its mutating routes. */
export interface NodeEndpoint {
  url: string;
  token?: string | undefined;
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

/** Send one request; the node's JSON error comes back as a WavsError with the node's code. */
async function request(
  node: NodeEndpoint,
  method: string,
  path: string,
  body?: { json: unknown } | { bytes: Uint8Array },
): Promise<unknown> {
  const url = `${node.url.replace(/\/+$/, "")}${path}`;
  const headers: Record<string, string> = {};
  if (node.token) headers.authorization = `Bearer ${node.token}`;
  let payload: string | Buffer | undefined;
  if (body && "json" in body) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body.json);
  } else if (body) {
    headers["content-type"] = "application/wasm";
    payload = Buffer.from(body.bytes);
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
  } catch (err) {
    throw new WavsError(
      "WAVS_ERR_NODE_UNREACHABLE",
      `cannot reach the node at ${redactUrl(node.url)}`,
      {
        hint: "is `wavs node` running there? set --wavs-endpoint or wavs_endpoint in the [cli] config",
        cause: err,
      },
    );
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const message = typeof error?.message === "string" ? error.message : text.slice(0, 200);
    const hint =
      res.status === 401
        ? "the node wants a bearer token: set bearer_token in the [cli] config or WAVS_BEARER_TOKEN"
        : undefined;
    throw new WavsError(
      isErrorCode(error?.code) ? error.code : "WAVS_ERR_NODE_UNREACHABLE",
      `${method} ${path} answered ${res.status}: ${message}`,
      { hint },
    );
  }
  return json;
}

/** POST /dev/components with the file's bytes; returns the digest. */
export async function uploadComponent(node: NodeEndpoint, file: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `${file}: cannot read the component`, {
      cause: err,
    });
  }
  const out = (await request(node, "POST", "/dev/components", { bytes })) as { digest?: unknown };
  if (typeof out?.digest !== "string") {
    throw new WavsError(
      "WAVS_ERR_NODE_UNREACHABLE",
      "POST /dev/components answered without a digest",
    );
  }
  return out.digest;
}

/** POST /dev/services with the service JSON; returns the hash it is stored under. */
export async function storeService(node: NodeEndpoint, service: unknown): Promise<string> {
  const out = (await request(node, "POST", "/dev/services", { json: service })) as {
    hash?: unknown;
  };
  if (typeof out?.hash !== "string") {
    throw new WavsError("WAVS_ERR_NODE_UNREACHABLE", "POST /dev/services answered without a hash");
  }
  return out.hash;
}

/** The URI at which the node serves a stored dev service. */
export function devServiceUri(node: NodeEndpoint, hash: string): string {
  return `${node.url.replace(/\/+$/, "")}/dev/services/${hash}`;
}

/** POST /services: the node reads the manager's service URI and registers the service. */
export async function registerService(
  node: NodeEndpoint,
  manager: { chain: string; address: string },
): Promise<void> {
  await request(node, "POST", "/services", {
    json: { service_manager: { evm: { chain: manager.chain, address: manager.address } } },
  });
}

/** POST /services/signer: the node's signing address for a service. */
export async function requestSigner(
  node: NodeEndpoint,
  manager: { chain: string; address: string },
): Promise<`0x${string}`> {
  const out = (await request(node, "POST", "/services/signer", {
    json: { service_manager: { evm: { chain: manager.chain, address: manager.address } } },
  })) as { secp256k1?: { evm_address?: unknown } };
  const address = out?.secp256k1?.evm_address;
  if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
    throw new WavsError(
      "WAVS_ERR_NODE_UNREACHABLE",
      "POST /services/signer answered without an EVM address",
    );
  }
  return address as `0x${string}`;
}

/** GET /services: the ids of the services the node runs. */
export async function listServiceIds(node: NodeEndpoint): Promise<string[]> {
  const out = (await request(node, "GET", "/services")) as { service_ids?: unknown };
  return Array.isArray(out?.service_ids) ? out.service_ids.map(String) : [];
}

/** GET /info: components the node is still loading ahead of their first run (0: none). */
export async function componentsWarming(node: NodeEndpoint): Promise<number> {
  const out = (await request(node, "GET", "/info")) as {
    engine?: { components_warming?: unknown };
  };
  const warming = out?.engine?.components_warming;
  return typeof warming === "number" ? warming : 0;
}

/**
 * GET /p2p/status: how many peers the node is connected to, and the fewest peers it knows to be
 * subscribed to one of its services' gossip (its own submissions reach only those).
 */
export async function connectedPeers(
  node: NodeEndpoint,
): Promise<{ connected: number; subscribed: number }> {
  const out = (await request(node, "GET", "/p2p/status")) as {
    connected_peers?: unknown;
    topics?: unknown;
  };
  const connected = Array.isArray(out?.connected_peers) ? out.connected_peers.length : 0;
  const topics = Array.isArray(out?.topics) ? (out.topics as { peers?: unknown }[]) : [];
  const subscribed = topics.reduce(
    (fewest, t) => Math.min(fewest, typeof t?.peers === "number" ? t.peers : 0),
    connected,
  );
  return { connected, subscribed };
}
