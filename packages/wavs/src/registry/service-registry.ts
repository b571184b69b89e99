/**
 * The service registry: which services this node runs, their definitions, components and
 * signing keys. Opt-in reads the manager's service URI, fetches and validates the JSON,
 * obtains and verifies every component, and only then persists the service and its key in one
 * transaction, so a failure at any step leaves nothing behind. Everything lives in the
 * database; a new registry on the same database has every service and key back.
 *
 * Over 400 lines on purpose: one public surface (used by the node, the HTTP API and `wavs dev`)
 * over one lock and one map of services; the steps it runs are modules beside it
 * (component-acquirer.ts, fetch-service-json.ts, obtain-component.ts, read-service-uri.ts).
 */
import { EventEmitter } from "node:events";
import type { Address } from "viem";
import type { HDAccount } from "viem/accounts";
import type { WavsConfig } from "../config/index.js";
import type { Engine } from "../engine/index.js";
import { type ServiceId, serviceId } from "../ids/index.js";
import type { Logger } from "../internal/index.js";
import { WavsError } from "../internal/index.js";
import type { JsonValue, ServiceManager } from "../service/index.js";
import { parseService, type Service, type ServiceStatus, serviceToJson } from "../service/index.js";
import { HdKeys, OPERATOR_HD_INDEX } from "../signing/index.js";
import type { Db } from "../store/index.js";
import {
  ComponentStore,
  DevServiceStore,
  KeyStore,
  ServiceStore,
  type StoredComponent,
  type StoredService,
} from "../store/index.js";
import { ComponentAcquirer, type Registration } from "./component-acquirer.js";
import { fetchServiceJson } from "./fetch-service-json.js";
import { KeyedLock } from "./keyed-lock.js";
import { ServiceUriReader } from "./read-service-uri.js";
import { serviceComponents } from "./service-components.js";

/** What a registry needs. */
export interface ServiceRegistryOptions {
  db: Db;
  engine: Engine;
  logger: Logger;
  config: WavsConfig;
  /** Mnemonic of the signing keys; defaults to `config.signing_mnemonic`. */
  mnemonic?: string | undefined;
  /** Deadline of one chain read or download; default 30 s. */
  fetchTimeoutMs?: number;
  /** One deadline for a whole registration or update; default 120 s. */
  registrationTimeoutMs?: number;
  /** Largest service JSON; default 15 MB. */
  maxServiceJsonBytes?: number;
  /** Largest component download; default 64 MiB. */
  maxComponentBytes?: number;
}

/** Events for the trigger manager; listeners get the service id and should not throw. */
export interface ServiceRegistryEvents {
  added: [serviceId: ServiceId];
  updated: [serviceId: ServiceId];
  removed: [serviceId: ServiceId];
}

/** A registered service. */
export interface RegisteredService {
  serviceId: ServiceId;
  service: Service;
  /** Where the definition was fetched from; null when added directly (dev routes). */
  sourceUri: string | null;
  /** The service's signing key index (m/44'/60'/0'/0/<hdIndex>). */
  hdIndex: number;
  /** Milliseconds since the epoch. */
  registeredAt: number;
  updatedAt: number;
}

/** The signing key of a service, as `POST /services/signer` reports it. */
export interface ServiceSigner {
  hd_index: number;
  evm_address: Address;
}

const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
const DEFAULT_REGISTRATION_TIMEOUT_MS = 120_000;
/** Component downloads of one registration at once. */

/** Registered services, their components and signing keys; see the module comment. */
export class ServiceRegistry extends EventEmitter<ServiceRegistryEvents> {
  private readonly db: Db;
  private readonly engine: Engine;
  private readonly log: Logger;
  private readonly config: WavsConfig;
  private readonly keys: HdKeys | undefined;
  private readonly timeoutMs: number;
  private readonly components: ComponentAcquirer;
  private readonly maxServiceJsonBytes: number | undefined;
  private readonly serviceStore: ServiceStore;
  private readonly keyStore: KeyStore;
  private readonly componentStore: ComponentStore;
  private readonly devStore: DevServiceStore;
  private readonly lock = new KeyedLock();
  private readonly services = new Map<ServiceId, RegisteredService>();
  private uriReader: ServiceUriReader | undefined;
  private aborter = new AbortController();
  private state: "new" | "started" | "stopped" = "new";

  constructor(options: ServiceRegistryOptions) {
    super();
    this.db = options.db;
    this.engine = options.engine;
    this.log = options.logger.child({ subsystem: "registry" });
    this.config = options.config;
    const mnemonic = options.mnemonic ?? options.config.signing_mnemonic;
    this.keys = mnemonic === undefined ? undefined : new HdKeys(mnemonic);
    this.timeoutMs = options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
    this.maxServiceJsonBytes = options.maxServiceJsonBytes;
    this.components = new ComponentAcquirer({
      engine: this.engine,
      log: this.log,
      ipfsGateway: this.config.ipfs_gateway,
      fetchTimeoutMs: this.timeoutMs,
      registrationTimeoutMs: options.registrationTimeoutMs ?? DEFAULT_REGISTRATION_TIMEOUT_MS,
      maxComponentBytes: options.maxComponentBytes,
      stopping: () => this.aborter.signal,
      registered: () => this.componentDigests(),
    });
    this.serviceStore = new ServiceStore(this.db);
    this.keyStore = new KeyStore(this.db);
    this.componentStore = new ComponentStore(this.db);
    this.devStore = new DevServiceStore(this.db);
  }

  /**
   * Load every stored service, and fetch again any downloadable component missing from the
   * engine's cache (a wiped cache must not need operator action). Failures are logged.
   */
  async start(): Promise<void> {
    if (this.state !== "new") throw new WavsError("WAVS_ERR_INTERNAL", "registry started twice");
    this.state = "started";
    this.aborter = new AbortController();
    this.uriReader = new ServiceUriReader(this.config, { timeoutMs: this.timeoutMs });
    for (const row of this.serviceStore.list()) {
      const loaded = this.load(row);
      if (loaded) this.services.set(loaded.serviceId, loaded);
    }
    for (const entry of this.services.values())
      await this.components.restore(entry.serviceId, entry.service);
    this.log.info({ services: this.services.size }, "service registry started");
  }

  /** Abort downloads in flight, wait for running operations, close chain connections. */
  async stop(): Promise<void> {
    if (this.state !== "started") return;
    this.state = "stopped";
    this.aborter.abort(new WavsError("WAVS_ERR_INTERNAL", "the registry is stopping"));
    await this.lock.idle();
    await this.uriReader?.close();
    this.services.clear();
  }

  /** Opt into the service of `manager`: read its URI on chain, fetch, verify, persist. */
  async add(manager: ServiceManager): Promise<RegisteredService> {
    this.assertStarted();
    const id = serviceId(manager);
    return this.lock.run(id, () =>
      this.components.underDeadline(id, async (reg) => {
        this.refuseDuplicate(id, manager);
        const { uri, service } = await this.readAndFetch(manager, reg);
        const found = serviceId(service.manager);
        if (found !== id) {
          throw new WavsError(
            "WAVS_ERR_SERVICE_MANAGER_MISMATCH",
            `the service JSON at ${uri} names manager ${describeManager(service.manager)}, not ${describeManager(manager)}`,
            {
              details: { requested: id, found, uri },
              hint: "The manager's service URI must point at this service's own JSON; its 'manager' field must be this manager.",
            },
          );
        }
        return this.insert(id, service, uri, reg);
      }),
    );
  }

  /** Register a service definition as is, without reading any chain (dev routes). */
  async addDirect(service: Service, sourceUri?: string): Promise<RegisteredService> {
    this.assertStarted();
    const id = serviceId(service.manager);
    return this.lock.run(id, () =>
      this.components.underDeadline(id, async (reg) => {
        this.refuseDuplicate(id, service.manager);
        return this.insert(id, service, sourceUri ?? null, reg);
      }),
    );
  }

  /**
   * Fetch the service's definition again from its manager's current URI and replace the stored
   * one; the ServiceId (manager) must not change and the signing key stays. Emits `updated`
   * unless nothing changed.
   */
  async update(id: ServiceId): Promise<RegisteredService> {
    this.assertStarted();
    return this.lock.run(id, () =>
      this.components.underDeadline(id, (reg) => this.doUpdate(id, reg)),
    );
  }

  private async doUpdate(id: ServiceId, reg: Registration): Promise<RegisteredService> {
    const current = this.require(id);
    const { uri, service } = await this.readAndFetch(current.service.manager, reg);
    const found = serviceId(service.manager);
    if (found !== id) {
      throw new WavsError(
        "WAVS_ERR_SERVICE_MANAGER_MISMATCH",
        `the updated service JSON at ${uri} names manager ${describeManager(service.manager)}; a service cannot move to another manager (its ServiceId would change from ${id} to ${found})`,
        {
          details: { service_id: id, found, uri },
          hint: "Publish the update with the same manager, or register the new manager as a new service.",
        },
      );
    }
    const json = JSON.stringify(serviceToJson(service));
    if (json === JSON.stringify(serviceToJson(current.service)) && uri === current.sourceUri) {
      return current;
    }
    const components = await this.components.obtainAll(service, reg);
    reg.signal.throwIfAborted();
    const now = Date.now();
    this.db
      .transaction(() => {
        this.serviceStore.replace(id, {
          json,
          sourceUri: uri,
          status: service.status,
          updatedAt: now,
        });
        for (const component of components) this.componentStore.record(component);
      })
      .immediate();
    const updated: RegisteredService = { ...current, service, sourceUri: uri, updatedAt: now };
    this.services.set(id, updated);
    this.log.info({ service_id: id, uri, workflows: service.workflows.size }, "service updated");
    this.notify("updated", id);
    return updated;
  }

  /**
   * Pause or resume a service (`paused`: its triggers fire nothing; cron schedules restart
   * from the time it is resumed). Persisted; emits `updated` when the status changed. A later
   * update from the service's URI brings the status of its JSON again.
   */
  async setStatus(id: ServiceId, status: ServiceStatus): Promise<RegisteredService> {
    this.assertStarted();
    return this.lock.run(id, async () => {
      const current = this.require(id);
      if (current.service.status === status) return current;
      const service: Service = { ...current.service, status };
      const now = Date.now();
      this.serviceStore.replace(id, {
        json: JSON.stringify(serviceToJson(service)),
        sourceUri: current.sourceUri,
        status,
        updatedAt: now,
      });
      const updated: RegisteredService = { ...current, service, updatedAt: now };
      this.services.set(id, updated);
      this.log.info(
        { service_id: id, status },
        status === "paused" ? "service paused" : "service resumed",
      );
      this.notify("updated", id);
      return updated;
    });
  }

  /** Opt out: forget the service (its signing key assignment is kept for a re-add). */
  async remove(manager: ServiceManager): Promise<void> {
    this.assertStarted();
    const id = serviceId(manager);
    return this.lock.run(id, async () => {
      this.require(id, manager);
      this.serviceStore.delete(id);
      this.services.delete(id);
      this.log.info({ service_id: id }, "service removed");
      this.notify("removed", id);
    });
  }

  /** Every registered service, oldest registration first. */
  list(): RegisteredService[] {
    this.assertStarted();
    return [...this.services.values()];
  }

  /** The service with that id, or undefined. */
  get(id: ServiceId): RegisteredService | undefined {
    this.assertStarted();
    return this.services.get(id);
  }

  /** The service of that manager, or undefined. */
  getByManager(manager: ServiceManager): RegisteredService | undefined {
    return this.get(serviceId(manager));
  }

  /** Digests of every component used by a registered service, sorted, without duplicates. */
  componentDigests(): string[] {
    const digests = new Set<string>();
    for (const entry of this.list()) {
      for (const use of serviceComponents(entry.service)) digests.add(use.component.source.digest);
    }
    return [...digests].sort();
  }

  /** A component this node verified, or undefined. */
  component(digest: string): StoredComponent | undefined {
    return this.componentStore.get(digest);
  }

  /** The signing key of a registered service; 404 when it is not registered. */
  signer(manager: ServiceManager): ServiceSigner {
    const entry = this.require(serviceId(manager), manager);
    return { hd_index: entry.hdIndex, evm_address: this.hdKeys().address(entry.hdIndex) };
  }

  /** Signing keys of every registered service (for /info). */
  signers(): (ServiceSigner & { service_id: ServiceId })[] {
    const keys = this.keys;
    if (keys === undefined) return [];
    return this.list().map((entry) => ({
      service_id: entry.serviceId,
      hd_index: entry.hdIndex,
      evm_address: keys.address(entry.hdIndex),
    }));
  }

  /** The account that signs for a registered service; 404 when it is not registered. */
  signerAccount(id: ServiceId): HDAccount {
    return this.hdKeys().account(this.require(id).hdIndex);
  }

  /** The operator's own address (index 0), or undefined without a mnemonic. */
  operatorAddress(): Address | undefined {
    return this.keys?.address(OPERATOR_HD_INDEX);
  }

  /** Validate a service JSON and store it for the dev routes; returns its hash. */
  storeDevService(json: unknown): string {
    const service = parseService(json);
    return this.devStore.put(JSON.stringify(serviceToJson(service)));
  }

  /** A stored dev service's JSON; 404 when no JSON is stored under that hash. */
  getDevService(hash: string): JsonValue {
    const text = this.devStore.get(hash);
    if (text === undefined) {
      throw new WavsError("WAVS_ERR_SERVICE_NOT_FOUND", `no dev service is stored under ${hash}`, {
        details: { hash },
        hint: "Store it first with POST /dev/services; the hash is what that returned.",
      });
    }
    return JSON.parse(text) as JsonValue;
  }

  /** Register a stored dev service directly (no chain read). */
  async addDevService(hash: string): Promise<RegisteredService> {
    return this.addDirect(parseService(this.getDevService(hash)));
  }

  private async insert(
    id: ServiceId,
    service: Service,
    sourceUri: string | null,
    reg: Registration,
  ): Promise<RegisteredService> {
    const components = await this.components.obtainAll(service, reg);
    // past the deadline nothing is stored, even with everything in hand
    reg.signal.throwIfAborted();
    const now = Date.now();
    const key = this.db
      .transaction(() => {
        this.serviceStore.insert({
          serviceId: id,
          managerChain: service.manager.chain,
          managerAddress: service.manager.address,
          json: JSON.stringify(serviceToJson(service)),
          sourceUri,
          status: service.status,
          registeredAt: now,
          updatedAt: now,
        });
        for (const component of components) this.componentStore.record(component);
        return this.keyStore.assign(id, now);
      })
      .immediate();
    const entry: RegisteredService = {
      serviceId: id,
      service,
      sourceUri,
      hdIndex: key.hdIndex,
      registeredAt: now,
      updatedAt: now,
    };
    this.services.set(id, entry);
    this.log.info(
      { service_id: id, name: service.name, uri: sourceUri, hd_index: key.hdIndex },
      "service added",
    );
    this.notify("added", id);
    return entry;
  }

  /**
   * Run a registration (or update) under one deadline for all of it. When it fails, the
   * components it prepared are dropped again, unless a registered service or another
   * registration in progress uses them: nothing of a failed registration stays.
   */
  /** The manager's service URI, read on chain, and the service JSON fetched from it. */
  private async readAndFetch(
    manager: ServiceManager,
    reg: Registration,
  ): Promise<{ uri: string; service: Service }> {
    const uri = await this.reader().read(manager);
    reg.signal.throwIfAborted();
    return { uri, service: await this.fetch(uri, reg.signal) };
  }

  private fetch(uri: string, signal: AbortSignal): Promise<Service> {
    return fetchServiceJson(uri, {
      ipfsGateway: this.config.ipfs_gateway,
      timeoutMs: this.timeoutMs,
      maxBytes: this.maxServiceJsonBytes,
      signal,
    });
  }

  private load(row: StoredService): RegisteredService | undefined {
    const key = this.keyStore.get(row.serviceId);
    try {
      if (key === undefined) throw new Error("it has no signing key assignment");
      return {
        serviceId: row.serviceId,
        service: parseService(JSON.parse(row.json)),
        sourceUri: row.sourceUri,
        hdIndex: key.hdIndex,
        registeredAt: row.registeredAt,
        updatedAt: row.updatedAt,
      };
    } catch (err) {
      // Stored JSON was valid when written; failing now means a schema change. Keep the row
      // and serve the other services rather than refusing to start.
      this.log.error({ service_id: row.serviceId, err }, "stored service cannot be loaded");
      return undefined;
    }
  }

  private refuseDuplicate(id: ServiceId, manager: ServiceManager): void {
    if (!this.services.has(id)) return;
    throw new WavsError(
      "WAVS_ERR_SERVICE_ALREADY_REGISTERED",
      `the service of manager ${describeManager(manager)} is already registered`,
      {
        details: { service_id: id },
        hint: "Remove it first (DELETE /services) to register it again; URI changes are picked up on their own.",
      },
    );
  }

  private require(id: ServiceId, manager?: ServiceManager): RegisteredService {
    this.assertStarted();
    const entry = this.services.get(id);
    if (entry) return entry;
    throw new WavsError(
      "WAVS_ERR_SERVICE_NOT_FOUND",
      manager
        ? `no service is registered for manager ${describeManager(manager)}`
        : `no service is registered with id ${id}`,
      { details: { service_id: id }, hint: "Register it first with POST /services." },
    );
  }

  private hdKeys(): HdKeys {
    if (this.keys) return this.keys;
    throw new WavsError("WAVS_ERR_SIGNING_NO_MNEMONIC", "this node has no signing mnemonic", {
      hint: "Set signing_mnemonic in wavs.toml or WAVS_SIGNING_MNEMONIC, then restart the node.",
    });
  }

  private reader(): ServiceUriReader {
    if (this.uriReader === undefined) throw new WavsError("WAVS_ERR_INTERNAL", "not started");
    return this.uriReader;
  }

  private assertStarted(): void {
    if (this.state === "started") return;
    throw new WavsError(
      "WAVS_ERR_INTERNAL",
      this.state === "new"
        ? "the service registry is not started"
        : "the service registry is stopped",
    );
  }

  private notify(event: keyof ServiceRegistryEvents, id: ServiceId): void {
    try {
      this.emit(event, id);
    } catch (err) {
      // The change is committed; a failing listener must not turn it into an error.
      this.log.error({ service_id: id, event, err }, "service registry listener failed");
    }
  }
}

function describeManager(manager: ServiceManager): string {
  return `${manager.address} on ${manager.chain}`;
}
