// The service registry against real parts: anvil with the real WavsServiceManager, an HTTP
// server on 127.0.0.1 (also playing the IPFS gateway), a real engine and a real database.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import {
  type Anvil,
  buildSignatureData,
  decodeRevert,
  deployContract,
  registerOperator,
  setServiceURI,
  startAnvil,
  wavsServiceManagerAbi,
  wavsServiceManagerBytecode,
} from "@wavs-ts/contracts";
import { WavsError } from "@wavs-ts/errors";
import { pino } from "pino";
import type { Address } from "viem";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startEngine } from "../../test/helpers/engine-harness.js";
import { startTestServer, type TestServer } from "../../test/helpers/http-server.js";
import { watFixture } from "../../test/helpers/wat-fixture.js";
import { type WavsConfig, WavsConfigSchema } from "../config/schema.js";
import { Engine } from "../engine/engine.js";
import { eventId } from "../ids/event-id.js";
import { serviceId } from "../ids/service-id.js";
import { silentLogger } from "../internal/logger.js";
import type { ServiceManager } from "../service/service-manager.js";
import { deriveAccount } from "../signing/hd-keys.js";
import { signResponse } from "../signing/sign-response.js";
import { type Db, openDatabase } from "../store/database.js";
import { ServiceRegistry } from "./service-registry.js";

// Anvil's mnemonic: service keys 1, 2, 3 are its dev accounts 1, 2, 3.
const MNEMONIC = "test test test test test test test test test test test junk";
const ANVIL_ACCOUNT = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
];

let anvil: Anvil;
let server: TestServer;
let harness: Awaited<ReturnType<typeof startEngine>>;
let config: WavsConfig;
let echo: Uint8Array;
let echoDigest: string;
const logLines: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  [anvil, server, harness, echo] = await Promise.all([
    startAnvil(),
    startTestServer(),
    startEngine({ poolSize: 1 }),
    watFixture("echo").then((path) => new Uint8Array(readFileSync(path))),
  ]);
  echoDigest = sha256(echo);
  server.serve("/echo.wasm", echo);
  config = WavsConfigSchema.parse({
    chains: { evm: { [String(anvil.chainId)]: { http_endpoint: anvil.rpcUrl } } },
    ipfs_gateway: `${server.url}/ipfs/`,
  });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await Promise.all([anvil?.stop(), server?.close(), harness?.close()]);
});

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

// A distinct valid component: echo plus a custom section, so its digest is new to the engine.
function uniqueEcho(label: string): Uint8Array {
  const name = Buffer.from("wavs-test");
  const content = Buffer.concat([Buffer.from([name.length]), name, Buffer.from(label)]);
  if (content.length > 127) throw new Error("label too long for a one-byte LEB128 size");
  return new Uint8Array(Buffer.concat([echo, Buffer.from([0, content.length]), content]));
}

/** A fresh database with a started registry on it; `reopen` starts another on the same file. */
async function openRegistry(
  engine: Engine = harness.engine,
  options: { registrationTimeoutMs?: number } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "wavs-registry-"));
  const dbs: Db[] = [];
  const registries: ServiceRegistry[] = [];
  const events: string[] = [];
  const open = async (withEngine: Engine) => {
    const db = openDatabase(join(dir, "wavs.db"));
    const logger = pino(
      { level: "trace" },
      new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
    const registry = new ServiceRegistry({
      db,
      engine: withEngine,
      logger,
      config,
      mnemonic: MNEMONIC,
      ...options,
    });
    for (const event of ["added", "updated", "removed"] as const) {
      registry.on(event, (id) => events.push(`${event} ${id}`));
    }
    await registry.start();
    dbs.push(db);
    registries.push(registry);
    return { registry, db };
  };
  cleanups.push(async () => {
    for (const r of registries) await r.stop();
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const first = await open(engine);
  return {
    ...first,
    events,
    async reopen(withEngine: Engine = engine) {
      await first.registry.stop();
      return open(withEngine);
    },
  };
}

/** Deploys a WavsServiceManager (URI optional) and returns it as a ServiceManager. */
async function deployManager(uri?: string): Promise<ServiceManager & { address: Address }> {
  const clients = anvil.clients(0);
  const address = await deployContract(clients, wavsServiceManagerAbi, wavsServiceManagerBytecode, [
    clients.walletClient.account.address,
    2n,
    3n,
  ]);
  if (uri !== undefined) await setServiceURI(clients, address, uri);
  return { type: "evm", chain: `evm:${anvil.chainId}`, address };
}

const component = (source: unknown) => ({
  source,
  permissions: {},
  fuel_limit: null,
  time_limit_seconds: null,
  config: {},
  env_keys: [],
});
const download = (uri: string, digest = echoDigest) => component({ download: { uri, digest } });

function serviceJson(
  manager: ServiceManager,
  workflows: Record<string, { component: unknown; submit?: unknown }>,
  name = "demo",
) {
  return {
    name,
    workflows: Object.fromEntries(
      Object.entries(workflows).map(([id, w]) => [
        id,
        { trigger: "manual", component: w.component, submit: w.submit ?? "none" },
      ]),
    ),
    status: "active",
    manager: { evm: { chain: manager.chain, address: manager.address } },
  };
}

let served = 0;
/** Serves `json` at a new path and points a new manager (or `manager`) at it. */
async function publish(
  build: (manager: ServiceManager) => unknown,
  manager?: ServiceManager & { address: Address },
): Promise<ServiceManager & { address: Address; uri: string }> {
  const m = manager ?? (await deployManager());
  const uri = server.serve(`/services/${++served}.json`, JSON.stringify(build(m)));
  await setServiceURI(anvil.clients(0), m.address, uri);
  return { ...m, uri };
}

const simple = (m: ServiceManager) =>
  serviceJson(m, { default: { component: download(`${server.url}/echo.wasm`) } });

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<WavsError> {
  const err = await (typeof promise === "function"
    ? Promise.resolve().then(promise)
    : promise
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WavsError)) throw new Error(`expected a WavsError, got ${String(err)}`);
  return err;
}

const count = (db: Db, table: string) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("ServiceRegistry", () => {
  it("adds services from their managers, persists them, and a restart brings back services and keys", async () => {
    const { registry, events, reopen } = await openRegistry();
    const m1 = await publish(simple);
    const m2 = await publish((m) =>
      serviceJson(m, { default: { component: download(`${server.url}/echo.wasm`) } }, "second"),
    );
    const first = await registry.add(m1);
    const second = await registry.add(m2);
    expect(first.hdIndex).toBe(1);
    expect(second.hdIndex).toBe(2);
    expect(first.sourceUri).toBe(m1.uri);
    expect(events).toEqual([`added ${serviceId(m1)}`, `added ${serviceId(m2)}`]);
    expect(registry.signer(m1)).toEqual({ hd_index: 1, evm_address: ANVIL_ACCOUNT[1] });
    expect(registry.signer(m2)).toEqual({ hd_index: 2, evm_address: ANVIL_ACCOUNT[2] });
    expect(registry.getByManager(m2)?.service.name).toBe("second");
    expect(registry.componentDigests()).toEqual([echoDigest]);
    expect(registry.component(echoDigest)).toMatchObject({ world: "operator", size: echo.length });

    // A restart on an empty component cache: services, keys and components are all back.
    const before = registry.list();
    const emptyCache = new Engine({
      dataDir: mkdtempSync(join(tmpdir(), "wavs-engine-")),
      logger: silentLogger(),
      poolSize: 1,
    });
    cleanups.push(async () => {
      await emptyCache.stop();
      rmSync(emptyCache.cacheDir, { recursive: true, force: true });
    });
    const hitsBefore = server.hits("/echo.wasm");
    const restarted = (await reopen(emptyCache)).registry;
    expect(restarted.list()).toEqual(before);
    expect(restarted.signer(m1)).toEqual({ hd_index: 1, evm_address: ANVIL_ACCOUNT[1] });
    expect(restarted.signer(m2)).toEqual({ hd_index: 2, evm_address: ANVIL_ACCOUNT[2] });
    expect(restarted.signerAccount(serviceId(m2)).address).toBe(ANVIL_ACCOUNT[2]);
    expect(emptyCache.lookup(echoDigest)?.world).toBe("operator");
    expect(server.hits("/echo.wasm")).toBe(hitsBefore + 1);

    // A restart on a full cache downloads nothing and loads the components into the workers
    // before the first event needs them.
    const warm = vi.spyOn(harness.engine, "warm");
    try {
      await reopen(harness.engine);
      expect(warm).toHaveBeenCalledWith(echoDigest);
    } finally {
      warm.mockRestore();
    }
    expect(server.hits("/echo.wasm")).toBe(hitsBefore + 1);
  });

  it("refuses malformed service JSON with 400 naming the field, and keeps nothing", async () => {
    const { registry, db } = await openRegistry();
    const component = { ...download(`${server.url}/echo.wasm`), env_keys: ["HOME"] };
    const bad = await publish((m) => serviceJson(m, { default: { component } }));
    const err = await failure(registry.add(bad));
    expect(err.code).toBe("WAVS_ERR_SERVICE_INVALID");
    expect(err.httpStatus).toBe(400);
    expect(err.message).toBe(
      "workflows.default.component.env_keys[0]: 'HOME' must start with WAVS_ENV",
    );
    expect(err.details?.uri).toBe(bad.uri);

    const notJson = await deployManager(server.serve("/not-json", "{ nope"));
    expect((await failure(registry.add(notJson))).message).toMatch(/is not JSON/);
    expect(registry.list()).toEqual([]);
    expect(count(db, "services") + count(db, "signing_keys")).toBe(0);
  });

  it("answers 404 for managers it does not know, and for addresses that are not managers", async () => {
    const { registry } = await openRegistry();
    const unknown = await deployManager();
    for (const err of [
      await failure(() => registry.signer(unknown)),
      await failure(registry.remove(unknown)),
      await failure(registry.update(serviceId(unknown))),
    ]) {
      expect(err.code).toBe("WAVS_ERR_SERVICE_NOT_FOUND");
      expect(err.httpStatus).toBe(404);
    }
    expect(registry.getByManager(unknown)).toBeUndefined();

    const noContract = {
      ...unknown,
      address: "0x00000000000000000000000000000000000000aa" as const,
    };
    const err = await failure(registry.add(noContract));
    expect(err.code).toBe("WAVS_ERR_SERVICE_MANAGER_NOT_FOUND");
    expect(err.message).toBe(
      `service manager ${noContract.address} on evm:${anvil.chainId}: no contract there answers getServiceURI()`,
    );
    const otherChain = await failure(registry.add({ ...unknown, chain: "evm:999" }));
    expect(otherChain.code).toBe("WAVS_ERR_CHAIN_UNKNOWN");
  });

  it("refuses a duplicate with 409, also when two adds race", async () => {
    const { registry, db } = await openRegistry();
    const m = await publish(simple);
    const results = await Promise.allSettled([registry.add(m), registry.add(m)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as WavsError).code).toBe("WAVS_ERR_SERVICE_ALREADY_REGISTERED");
    expect((rejected.reason as WavsError).httpStatus).toBe(409);
    expect((await failure(registry.add(m))).code).toBe("WAVS_ERR_SERVICE_ALREADY_REGISTERED");
    expect(count(db, "services")).toBe(1);
    expect(count(db, "signing_keys")).toBe(1);
  });

  it("refuses a component whose bytes do not match its digest, and keeps nothing", async () => {
    const { registry, db } = await openRegistry();
    const claimed = sha256(new TextEncoder().encode("not the bytes served"));
    const m = await publish((m) =>
      serviceJson(m, { default: { component: download(`${server.url}/echo.wasm`, claimed) } }),
    );
    const err = await failure(registry.add(m));
    expect(err.code).toBe("WAVS_ERR_COMPONENT_DIGEST_MISMATCH");
    expect(err.httpStatus).toBe(502);
    expect(err.message).toBe(
      `workflow 'default' component: the bytes at ${server.url}/echo.wasm have digest ${echoDigest}, but the service names ${claimed}`,
    );
    expect(registry.list()).toEqual([]);
    expect(count(db, "services") + count(db, "signing_keys") + count(db, "components")).toBe(0);
    expect(harness.engine.lookup(claimed)).toBeUndefined();
  });

  it("reports an unreachable or unset service URI", async () => {
    const { registry } = await openRegistry();
    const gone = await deployManager(`${server.url}/nothing-here.json`);
    const err = await failure(registry.add(gone));
    expect(err.code).toBe("WAVS_ERR_SERVICE_URI_UNREACHABLE");
    expect(err.httpStatus).toBe(502);
    expect(err.retryable).toBe(true);
    expect(err.message).toBe(`service JSON at ${server.url}/nothing-here.json: answered HTTP 404`);
    const unset = await failure(registry.add(await deployManager()));
    expect(unset.code).toBe("WAVS_ERR_SERVICE_URI_INVALID");
    expect(unset.message).toBe("the service manager has no service URI set");
  });

  it("fetches the JSON and the components through the IPFS gateway", async () => {
    const { registry } = await openRegistry();
    const bytes = uniqueEcho("ipfs");
    server.serve("/ipfs/QmComponents/echo.wasm", bytes);
    const m = await deployManager();
    server.serve(
      "/ipfs/QmService/service.json",
      JSON.stringify(
        serviceJson(m, {
          default: { component: download("ipfs://QmComponents/echo.wasm", sha256(bytes)) },
        }),
      ),
    );
    await setServiceURI(anvil.clients(0), m.address, "ipfs://QmService/service.json");
    const entry = await registry.add(m);
    expect(entry.sourceUri).toBe("ipfs://QmService/service.json");
    expect(server.hits("/ipfs/QmService/service.json")).toBe(1);
    expect(server.hits("/ipfs/QmComponents/echo.wasm")).toBe(1);
    expect(harness.engine.lookup(sha256(bytes))?.world).toBe("operator");
    expect(registry.component(sha256(bytes))?.firstSource).toEqual({
      download: { uri: "ipfs://QmComponents/echo.wasm", digest: sha256(bytes) },
    });
  });

  it("updates a service from its new URI: workflows change, the key stays", async () => {
    const { registry, events } = await openRegistry();
    const other = await openRegistry(); // a second service first, so the key is not just "1"
    const m = await publish(simple);
    await other.registry.add(await publish(simple));
    await registry.add(await publish(simple));
    const before = await other.registry.add(m);
    expect(before.hdIndex).toBe(2);
    const bytes = uniqueEcho("update");
    const uri = server.serve("/update/echo.wasm", bytes);
    await publish(
      (m) => serviceJson(m, { replaced: { component: download(uri, sha256(bytes)) } }, "v2"),
      m,
    );
    const after = await other.registry.update(serviceId(m));
    expect([...after.service.workflows.keys()]).toEqual(["replaced"]);
    expect(after.service.name).toBe("v2");
    expect(after.hdIndex).toBe(2);
    expect(other.registry.signer(m)).toEqual({ hd_index: 2, evm_address: ANVIL_ACCOUNT[2] });
    expect(other.events).toEqual([
      expect.stringMatching(/^added /),
      `added ${serviceId(m)}`,
      `updated ${serviceId(m)}`,
    ]);
    // Nothing changed since: no event.
    await other.registry.update(serviceId(m));
    expect(other.events).toHaveLength(3);
    expect(events).toHaveLength(1);
    const reopened = (await other.reopen()).registry;
    expect(reopened.get(serviceId(m))?.service.name).toBe("v2");
  });

  it("refuses an update or an add whose JSON names another manager", async () => {
    const { registry, events } = await openRegistry();
    const m = await publish(simple);
    await registry.add(m);
    const elsewhere = await deployManager();
    await publish(() => simple(elsewhere), m);
    const err = await failure(registry.update(serviceId(m)));
    expect(err.code).toBe("WAVS_ERR_SERVICE_MANAGER_MISMATCH");
    expect(err.httpStatus).toBe(400);
    expect(err.message).toContain(
      `its ServiceId would change from ${serviceId(m)} to ${serviceId(elsewhere)}`,
    );
    expect(registry.get(serviceId(m))?.sourceUri).not.toBe(undefined);
    expect(registry.get(serviceId(m))?.service.manager.address).toBe(m.address);
    expect(events).toHaveLength(1);

    const impostor = await publish(() => simple(elsewhere));
    expect((await failure(registry.add(impostor))).code).toBe("WAVS_ERR_SERVICE_MANAGER_MISMATCH");
  });

  it("removes a service; re-adding it gets its old key, a new service the next one", async () => {
    const { registry, events, db } = await openRegistry();
    const m1 = await publish(simple);
    const m2 = await publish(simple);
    await registry.add(m1);
    await registry.add(m2);
    await registry.remove(m1);
    expect(events.at(-1)).toBe(`removed ${serviceId(m1)}`);
    expect(registry.list().map((s) => s.serviceId)).toEqual([serviceId(m2)]);
    expect((await failure(() => registry.signer(m1))).code).toBe("WAVS_ERR_SERVICE_NOT_FOUND");
    expect(count(db, "signing_keys")).toBe(2);
    expect((await registry.add(m1)).hdIndex).toBe(1);
    expect((await registry.add(await publish(simple))).hdIndex).toBe(3);
  });

  it("checks component sources: digest must be uploaded, registry is refused, worlds must fit", async () => {
    const { registry, db } = await openRegistry();
    const bytes = uniqueEcho("by-digest");
    const digest = sha256(bytes);
    const byDigest = await publish((m) =>
      serviceJson(m, { wf1: { component: component({ digest }) } }),
    );
    const missing = await failure(registry.add(byDigest));
    expect(missing.code).toBe("WAVS_ERR_COMPONENT_NOT_UPLOADED");
    expect(missing.httpStatus).toBe(400);
    expect(missing.message).toBe(
      `workflow 'wf1' component: component ${digest} is not uploaded to this node`,
    );
    expect(missing.hint).toMatch(/upload/i);
    await harness.engine.register(bytes);
    expect((await registry.add(byDigest)).service.workflows.has("wf1")).toBe(true);

    const fromRegistry = await publish((m) =>
      serviceJson(m, {
        wf2: { component: component({ registry: { digest, package: "wavs:echo" } }) },
      }),
    );
    const unsupported = await failure(registry.add(fromRegistry));
    expect(unsupported.code).toBe("WAVS_ERR_COMPONENT_SOURCE_UNSUPPORTED");
    expect(unsupported.message).toMatch(/^workflow 'wf2' component: source 'registry'/);

    const wrongWorld = await publish((m) =>
      serviceJson(m, {
        wf3: {
          component: download(`${server.url}/echo.wasm`),
          submit: {
            aggregator: {
              component: component({ digest: echoDigest }),
              signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
            },
          },
        },
      }),
    );
    const world = await failure(registry.add(wrongWorld));
    expect(world.code).toBe("WAVS_ERR_COMPONENT_INVALID");
    expect(world.message).toMatch(
      /^workflow 'wf3' aggregator component: .* operator world, but this place needs the aggregator world/,
    );
    expect(count(db, "services")).toBe(1);
  });

  it("stores dev services by hash and registers them without a chain read", async () => {
    const { registry, events } = await openRegistry();
    const json = simple({
      type: "evm",
      chain: "evm:31337",
      address: "0x00000000000000000000000000000000000000d1",
    });
    const hash = registry.storeDevService(json);
    expect(hash).toBe(sha256(new TextEncoder().encode(JSON.stringify(json))));
    expect(registry.getDevService(hash)).toEqual(json);
    const entry = await registry.addDevService(hash);
    expect(entry.sourceUri).toBeNull();
    expect(entry.hdIndex).toBe(1);
    expect(events).toEqual([`added ${entry.serviceId}`]);
    expect((await failure(registry.addDevService(hash))).code).toBe(
      "WAVS_ERR_SERVICE_ALREADY_REGISTERED",
    );
    expect((await failure(() => registry.getDevService("00".repeat(32)))).httpStatus).toBe(404);
    const invalid = await failure(() => registry.storeDevService({ ...json, status: "asleep" }));
    expect(invalid.message).toBe("status: 'asleep' is not one of active, paused");
  });

  it("signs responses that the real WavsServiceManager.validate accepts for the registered key", async () => {
    const { registry } = await openRegistry();
    const m = await publish(simple);
    const { serviceId: id } = await registry.add(m);
    const clients = anvil.clients(0);
    await registerOperator(clients, m.address, {
      operator: ANVIL_ACCOUNT[3] as Address,
      signingKey: registry.signer(m).evm_address,
      weight: 100n,
    });
    await anvil.mine();
    const response = {
      eventId: eventId(id, "default", new TextEncoder().encode("salt")),
      ordering: 42n,
      payload: new TextEncoder().encode("result"),
      signatureKind: { algorithm: "secp256k1", prefix: "eip191" } as const,
    };
    const signed = await signResponse(registry.signerAccount(id), response);
    expect(signed.signer).toBe(ANVIL_ACCOUNT[1]);
    const referenceBlock = Number(await anvil.blockNumber()) - 1;
    const validate = (s: { signer: Address; signature: `0x${string}` }) =>
      anvil.publicClient().readContract({
        address: m.address,
        abi: wavsServiceManagerAbi,
        functionName: "validate",
        args: [signed.envelope, buildSignatureData([s], referenceBlock)],
      });
    await expect(validate(signed)).resolves.toBeUndefined();

    // Another key of the same mnemonic is not registered with this manager.
    const stranger = await signResponse(deriveAccount(MNEMONIC, 2), response);
    const refused = await validate(stranger).then(
      () => undefined,
      (e: unknown) => decodeRevert(e)?.errorName,
    );
    expect(refused).toBe("SignerNotRegistered");
  });

  it("stop() aborts a download in flight and refuses new work", async () => {
    const { registry, db } = await openRegistry();
    const slow = await deployManager(
      server.serve("/slow.json", { body: JSON.stringify({}), delayMs: 10_000 }),
    );
    const adding = registry.add(slow);
    while (server.hits("/slow.json") === 0) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await registry.stop();
    const err = await failure(adding);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(err.message).toMatch(/the registry is stopping/);
    expect(count(db, "services")).toBe(0);
    expect((await failure(registry.add(slow))).message).toBe("the service registry is stopped");
  });

  it("refuses a service URI serving millions of nested arrays before parsing them, and keeps nothing", async () => {
    const { registry, db } = await openRegistry();
    // 10 MB of valid JSON, within the size cap: 5 million arrays deep
    const deep = `${"[".repeat(5_000_000)}${"]".repeat(5_000_000)}`;
    const m = await deployManager(server.serve("/deep.json", deep));
    const err = await failure(registry.add(m));
    expect(err.code).toBe("WAVS_ERR_SERVICE_INVALID");
    expect(err.message).toBe(
      `service JSON at ${server.url}/deep.json nests arrays and objects deeper than 64 levels`,
    );
    expect(registry.list()).toEqual([]);
    expect(count(db, "services")).toBe(0);
  });

  it("one deadline for the whole registration; components download in parallel", async () => {
    const { registry, db } = await openRegistry(harness.engine, { registrationTimeoutMs: 1500 });
    // three components whose servers never answer in time (each within its own 30 s)
    const slow = ["wf-a", "wf-b", "wf-c"].map((label) => {
      const bytes = uniqueEcho(`slow-${label}`);
      const uri = server.serve(`/slow-${label}.wasm`, { body: bytes, delayMs: 20_000 });
      return { label, uri, digest: sha256(bytes) };
    });
    const m = await publish((m) =>
      serviceJson(
        m,
        Object.fromEntries(slow.map((c) => [c.label, { component: download(c.uri, c.digest) }])),
      ),
    );
    const err = await failure(registry.add(m));
    expect(err.code).toBe("WAVS_ERR_SERVICE_REGISTRATION_TIMEOUT");
    expect(err.httpStatus).toBe(504);
    expect(err.message).toMatch(/took longer than its deadline of 1\.5 s; nothing was stored$/);
    // all three were asked for at once (one after another, only the first would have been)
    for (const c of slow) expect(server.hits(`/slow-${c.label}.wasm`)).toBe(1);
    expect(count(db, "services") + count(db, "components")).toBe(0);
  });

  it("a registration that fails after preparing a component removes it again; an uploaded one stays", async () => {
    const { registry, db } = await openRegistry();
    const fresh = uniqueEcho("prepared-then-dropped");
    const freshDigest = sha256(fresh);
    const uploaded = uniqueEcho("uploaded-before");
    const uploadedDigest = (await harness.engine.register(uploaded)).digest;
    // the second workflow's bytes match their digest but are no component: it fails after the
    // first one was prepared
    const garbage = new TextEncoder().encode("not a component at all");
    const m = await publish((m) =>
      serviceJson(m, {
        "wf-a": { component: download(server.serve("/fresh.wasm", fresh), freshDigest) },
        "wf-b": { component: component({ digest: uploadedDigest }) },
        "wf-c": { component: download(server.serve("/garbage.wasm", garbage), sha256(garbage)) },
      }),
    );
    const err = await failure(registry.add(m));
    expect(err.code).toBe("WAVS_ERR_COMPONENT_INVALID");
    expect(server.hits("/fresh.wasm")).toBe(1);
    expect(harness.engine.lookup(freshDigest)).toBeUndefined();
    expect(existsSync(join(harness.engine.cacheDir, freshDigest))).toBe(false);
    expect(harness.engine.lookup(uploadedDigest)).toBeDefined();
    expect(count(db, "services") + count(db, "components")).toBe(0);
  });

  it("never writes the mnemonic to a log line", () => {
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.join("\n")).not.toContain("junk");
  });
});
