/**
 * Test helpers for the HTTP API: a small in-memory NodeApi that behaves like a node (services
 * by manager, dev store, KV, history), and `startTestServer()` to run the real server on
 * 127.0.0.1 with a free port.
 */
import { createHash } from "node:crypto";
import { WavsError } from "@wavs-ts/errors";
import { afterEach, expect } from "vitest";
import type {
  AggregationRecord,
  ExecutionRecord,
  FireTriggerRequest,
  NodeApi,
  SubmissionRecord,
} from "../../src/http/node-api.js";
import { createHttpServer, type HttpServerConfig } from "../../src/http/server.js";
import { serviceId } from "../../src/ids/index.js";
import { silentLogger } from "../../src/internal/logger.js";
import { Metrics } from "../../src/metrics/index.js";
import { executionStats } from "../../src/node/execution-stats.js";
import { DisabledP2pNode } from "../../src/p2p/index.js";
import {
  parseService,
  type Service,
  type ServiceManager,
  serviceManagerToJson,
} from "../../src/service/index.js";
import type { BucketRow } from "../../src/store/index.js";

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function managerKey(manager: ServiceManager): string {
  return JSON.stringify(serviceManagerToJson(manager));
}

function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A NodeApi over Maps, throwing the WavsErrors a real node throws. */
export class FakeNode implements NodeApi {
  /** What each manager's service URI would serve (the "chain" of this fake). */
  readonly published = new Map<string, unknown>();
  /** Managers whose chain read fails (-> 502). */
  readonly unreachable = new Set<string>();
  readonly services = new Map<string, Service>();
  readonly keys = new Map<string, number>();
  readonly components = new Map<string, Uint8Array>();
  readonly devServices = new Map<string, unknown>();
  readonly kv = new Map<string, Uint8Array>();
  readonly chains = new Map<string, unknown>();
  readonly fired: FireTriggerRequest[] = [];
  readonly executions: ExecutionRecord[] = [];
  readonly submissions: SubmissionRecord[] = [];
  readonly aggregations: AggregationRecord[] = [];
  chainHealth: Record<string, { ok: true } | { ok: false; error: string }> = {
    "evm:31337": { ok: true },
  };
  /** When set, every call throws it (to exercise the error handler). */
  failWith: unknown;

  /** Make `json` the service its manager's URI serves. */
  publish(json: unknown): ServiceManager {
    const service = parseService(json);
    this.published.set(managerKey(service.manager), json);
    return service.manager;
  }

  private check(): void {
    if (this.failWith !== undefined) throw this.failWith;
  }

  private register(service: Service): void {
    const id = serviceId(service.manager);
    if (this.services.has(id)) {
      throw new WavsError(
        "WAVS_ERR_SERVICE_ALREADY_REGISTERED",
        `the service ${id} is already registered`,
      );
    }
    this.services.set(id, service);
    this.keys.set(id, this.keys.size + 1);
  }

  private known(id: string): Service {
    const service = this.services.get(id);
    if (service === undefined) {
      throw new WavsError("WAVS_ERR_SERVICE_NOT_FOUND", `no service is registered with id ${id}`);
    }
    return service;
  }

  async listServices() {
    this.check();
    const services = [...this.services.values()];
    const componentDigests = new Set<string>();
    for (const s of services) {
      for (const w of s.workflows.values()) {
        if (w.component.source.type === "digest") componentDigests.add(w.component.source.digest);
      }
    }
    return {
      services,
      serviceIds: [...this.services.keys()],
      componentDigests: [...componentDigests],
    };
  }

  async getService(manager: ServiceManager) {
    this.check();
    return this.known(serviceId(manager));
  }

  async addService(manager: ServiceManager) {
    this.check();
    const key = managerKey(manager);
    if (this.unreachable.has(key)) {
      throw new WavsError(
        "WAVS_ERR_CHAIN_RPC",
        "eth_call getServiceURI failed: connection refused",
      );
    }
    const json = this.published.get(key);
    if (json === undefined) {
      throw new WavsError("WAVS_ERR_SERVICE_NOT_FOUND", "no service manager at that address");
    }
    this.register(parseService(json));
  }

  async removeServices(managers: ServiceManager[]) {
    this.check();
    for (const m of managers) this.known(serviceId(m));
    for (const m of managers) this.services.delete(serviceId(m));
  }

  async signer(manager: ServiceManager) {
    this.check();
    const id = serviceId(manager);
    this.known(id);
    const hdIndex = this.keys.get(id) ?? 0;
    return { hdIndex, evmAddress: `0x${hdIndex.toString(16).padStart(40, "0")}` };
  }

  async health() {
    this.check();
    return this.chainHealth;
  }

  async info() {
    this.check();
    return {
      version: "0.1.0-test",
      startedAt: 1_700_000_000_000,
      dashboardPeers: ["http://127.0.0.1:1"],
      operatorAddress: "0x00000000000000000000000000000000000000aa",
      services: [...this.keys].map(([id, index]) => ({
        serviceId: id,
        signer: `0x${index.toString(16).padStart(40, "0")}`,
      })),
      engine: { workers: 2, warming: 1 },
      crypto: { secp256k1: "native" as const, keccak: "js" as const },
    };
  }

  async uploadComponent(bytes: Uint8Array) {
    this.check();
    if (!WASM_MAGIC.every((b, i) => bytes[i] === b)) {
      throw new WavsError("WAVS_ERR_COMPONENT_INVALID", "the bytes are not WebAssembly");
    }
    const digest = sha256Hex(bytes);
    this.components.set(digest, bytes);
    return { digest };
  }

  async storeDevService(json: unknown) {
    this.check();
    const hash = sha256Hex(JSON.stringify(json));
    this.devServices.set(hash, json);
    return { hash };
  }

  async getDevService(hash: string) {
    this.check();
    const json = this.devServices.get(hash);
    if (json === undefined) {
      throw new WavsError("WAVS_ERR_SERVICE_NOT_FOUND", `no dev service is stored under ${hash}`);
    }
    return json;
  }

  async addDevService(hash: string) {
    this.register(parseService(await this.getDevService(hash)));
  }

  async fireTrigger(req: FireTriggerRequest) {
    this.check();
    const service = this.known(req.serviceId);
    if (!service.workflows.has(req.workflowId)) {
      throw new WavsError(
        "WAVS_ERR_SERVICE_NOT_FOUND",
        `service ${req.serviceId} has no workflow ${req.workflowId}`,
      );
    }
    this.fired.push(req);
    return req.waitForCompletion ? { executions: req.count } : undefined;
  }

  async getKv(id: string, bucket: string, key: string) {
    this.check();
    return this.kv.get(`${id}/${bucket}/${key}`);
  }

  async addChain(chain: string, config: unknown) {
    this.check();
    const added = !this.chains.has(chain);
    this.chains.set(chain, config);
    return added;
  }

  async setServiceStatus(id: string, status: "active" | "paused") {
    this.check();
    const service = this.services.get(id);
    if (!service)
      throw new WavsError("WAVS_ERR_SERVICE_NOT_FOUND", `service ${id} is not registered`);
    this.services.set(id, { ...service, status });
  }

  async listKv(id: string) {
    this.check();
    const keys = [...this.kv.keys()]
      .filter((k) => k.startsWith(`${id}/`))
      .map((k) => {
        const [, bucket = "", ...key] = k.split("/");
        return { bucket, key: key.join("/") };
      });
    return { keys, cursor: null };
  }

  async readServiceFile(): Promise<{ kind: "directory"; entries: [] }> {
    this.check();
    return { kind: "directory", entries: [] };
  }

  async logs() {
    this.check();
    return undefined;
  }

  followLogs() {
    return undefined;
  }

  async triggerStreams() {
    this.check();
    return [];
  }

  async listExecutions(id: string, opts: { limit: number; before?: number }) {
    this.check();
    this.known(id);
    return this.executions
      .filter((e) => e.service_id === id && (opts.before === undefined || e.id < opts.before))
      .sort((a, b) => b.id - a.id)
      .slice(0, opts.limit);
  }

  async listSubmissions(id: string, opts: { limit: number; before?: number }) {
    this.check();
    this.known(id);
    return this.submissions
      .filter((s) => s.service_id === id && (opts.before === undefined || s.id < opts.before))
      .sort((a, b) => b.id - a.id)
      .slice(0, opts.limit);
  }

  async listAggregations(id: string, opts: { limit: number; before?: number }) {
    this.check();
    this.known(id);
    return this.aggregations
      .filter((a) => a.service_id === id && (opts.before === undefined || a.id < opts.before))
      .sort((a, b) => b.id - a.id)
      .slice(0, opts.limit);
  }

  async event(eventId: string) {
    this.check();
    const of = <T extends { event_id: string }>(rows: T[]) =>
      rows.filter((r) => r.event_id === eventId);
    return {
      event_id: eventId,
      executions: of(this.executions),
      submissions: of(this.submissions),
      aggregations: of(this.aggregations),
    };
  }

  async executionStats(opts: { windowS: number; bucketS: number }) {
    this.check();
    // the node's own bucketing over the fake's records, as the store would group them
    const finishedBuckets = (since: number, bucketMs: number): BucketRow[] =>
      this.executions
        .filter(
          (e) =>
            e.finished_at !== null &&
            e.finished_at >= since &&
            e.status !== "queued" &&
            e.status !== "running",
        )
        .map((e) => ({
          bucket: Math.floor(e.finished_at! / bucketMs),
          service_id: e.service_id,
          status: e.status as "succeeded" | "failed",
          n: 1,
          ms: e.duration_ms,
        }));
    return executionStats({ finishedBuckets }, opts.windowS, opts.bucketS, this.now());
  }

  /** The clock of executionStats (tests set it). */
  now = () => Date.now();

  async p2pStatus() {
    this.check();
    return new DisabledP2pNode().status();
  }
}

/** A running test server and what it was built with. */
export interface TestServer {
  url: string;
  node: FakeNode;
  metrics: Metrics;
  /** fetch relative to the server, JSON body when `json` is given. */
  request(path: string, init?: RequestInit & { json?: unknown; token?: string }): Promise<Response>;
}

const running: { stop(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** Start the real HTTP server over a FakeNode; it is stopped after the current test. */
export async function startTestServer(
  config: Partial<HttpServerConfig> = {},
  options: { redactedConfig?: () => unknown; dashboardAssets?: null } = {},
): Promise<TestServer> {
  const node = new FakeNode();
  // Default process metrics are left out: each would add event-loop and GC monitors per test.
  const metrics = new Metrics({ defaultMetrics: false });
  const server = createHttpServer({
    api: node,
    logger: silentLogger(),
    metrics,
    redactedConfig: options.redactedConfig ?? (() => ({ port: 0 })),
    ...(options.dashboardAssets === null ? { dashboardAssets: null } : {}),
    config: {
      host: "127.0.0.1",
      port: 0,
      devEndpointsEnabled: true,
      maxBodySizeMb: 15,
      corsAllowedOrigins: [],
      ...config,
    },
  });
  const { url } = await server.start();
  running.push(server);
  return {
    url,
    node,
    metrics,
    request(path, init = {}) {
      const { json, token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) headers.set("content-type", "application/json");
      if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
      return fetch(`${url}${path}`, {
        ...rest,
        headers,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    },
  };
}

/** The `error` object of a JSON error response. */
export async function errorOf(
  res: Response,
): Promise<{ code: string; message: string; hint?: string }> {
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; hint?: string } };
  return body.error;
}
