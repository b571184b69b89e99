/**
 * Obtaining a service's components for a registration: one deadline for the whole
 * registration, downloads in parallel (at most four at once), each verified and prepared;
 * components a failed registration prepared are dropped again unless something else uses
 * them. Also restores components of stored services missing from the engine's cache.
 */
import type { Engine } from "../engine/index.js";
import type { Logger } from "../internal/index.js";
import { WavsError } from "../internal/index.js";
import type { Service } from "../service/index.js";
import type { StoredComponent } from "../store/index.js";
import {
  completeComponent,
  componentNeeds,
  downloadComponent,
  obtainComponent,
} from "./obtain-component.js";
import { serviceComponents } from "./service-components.js";

const DOWNLOAD_CONCURRENCY = 4;

/** One registration in progress: its deadline and the components it uses and prepared. */
export interface Registration {
  signal: AbortSignal;
  /** Digests the engine prepared for it (dropped again when it fails). */
  prepared: Set<string>;
  /** Mark a digest as used by it, so no failing registration drops it meanwhile. */
  pin(digest: string): void;
}

/** What the acquirer is given by the registry. */
export interface ComponentAcquirerDeps {
  engine: Engine;
  log: Logger;
  ipfsGateway: string;
  fetchTimeoutMs: number;
  registrationTimeoutMs: number;
  maxComponentBytes: number | undefined;
  /** Aborted when the registry stops. */
  stopping(): AbortSignal;
  /** Digests of the components of every registered service. */
  registered(): string[];
}

/** See the module comment. */
export class ComponentAcquirer {
  /** Digests used by registrations in progress, with how many use each. */
  private readonly inUse = new Map<string, number>();

  constructor(private readonly deps: ComponentAcquirerDeps) {}

  /** Run one registration's work under its deadline; what it prepared is dropped if it fails. */
  async underDeadline<T>(id: string, work: (reg: Registration) => Promise<T>) {
    const deadline = AbortSignal.timeout(this.deps.registrationTimeoutMs);
    const pinned: string[] = [];
    const reg: Registration = {
      signal: AbortSignal.any([this.deps.stopping(), deadline]),
      prepared: new Set(),
      pin: (digest) => {
        pinned.push(digest);
        this.inUse.set(digest, (this.inUse.get(digest) ?? 0) + 1);
      },
    };
    try {
      return await work(reg);
    } catch (err) {
      this.dropPrepared(reg.prepared);
      if (deadline.aborted && !this.deps.stopping().aborted) {
        const seconds = this.deps.registrationTimeoutMs / 1000;
        throw new WavsError(
          "WAVS_ERR_SERVICE_REGISTRATION_TIMEOUT",
          `registering service ${id} took longer than its deadline of ${seconds} s; nothing was stored`,
          {
            details: { service_id: id, deadline_ms: this.deps.registrationTimeoutMs },
            hint: "A component download or the service URI is slow: try again, or raise registration_timeout_ms.",
            cause: err,
          },
        );
      }
      throw err;
    } finally {
      for (const digest of pinned) {
        const n = (this.inUse.get(digest) ?? 1) - 1;
        if (n <= 0) this.inUse.delete(digest);
        else this.inUse.set(digest, n);
      }
    }
  }

  /** Remove components a failed registration prepared that nothing else uses. */
  private dropPrepared(digests: Set<string>): void {
    if (digests.size === 0) return;
    const used = new Set(this.deps.registered());
    for (const digest of digests) {
      if (used.has(digest) || (this.inUse.get(digest) ?? 0) > 1) continue;
      this.deps.engine.forget(digest);
      this.deps.log.info({ digest }, "component of a failed registration removed");
    }
  }

  /**
   * Obtain every component of a service: sources checked first, downloads in parallel (at most
   * four at once, under the registration's deadline), then each prepared in turn (preparing
   * transpiles, which is CPU-heavy).
   */
  async obtainAll(service: Service, reg: Registration): Promise<StoredComponent[]> {
    const uses = serviceComponents(service);
    const downloads = new Map<string, (typeof uses)[number]>();
    for (const use of uses) {
      const digest = use.component.source.digest;
      reg.pin(digest);
      if (componentNeeds(this.deps.engine, use) === "download" && !downloads.has(digest))
        downloads.set(digest, use);
    }
    const stop = new AbortController();
    const options = {
      ...this.downloadOptions(),
      signal: AbortSignal.any([reg.signal, stop.signal]),
    };
    const bytes = new Map<string, Uint8Array>();
    const queue = [...downloads.entries()];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [digest, use] = next;
        bytes.set(digest, await downloadComponent(use, options));
      }
    };
    try {
      await Promise.all(
        Array.from({ length: Math.min(DOWNLOAD_CONCURRENCY, queue.length) }, worker),
      );
    } catch (err) {
      stop.abort(err);
      throw err;
    }
    const obtained = new Map<string, StoredComponent>();
    for (const use of uses) {
      reg.signal.throwIfAborted();
      const digest = use.component.source.digest;
      const done = await completeComponent(this.deps.engine, use, bytes.get(digest));
      if (done.prepared) reg.prepared.add(digest);
      if (!obtained.has(digest)) obtained.set(digest, done.component);
    }
    return [...obtained.values()];
  }

  /** Fetch again any component of a stored service missing from the engine's cache. */
  async restore(serviceId: string, service: Service): Promise<void> {
    for (const use of serviceComponents(service)) {
      const { source } = use.component;
      if (this.deps.engine.lookup(source.digest) !== undefined) {
        this.deps.engine.warm(source.digest);
        continue;
      }
      try {
        await obtainComponent(this.deps.engine, use, this.downloadOptions());
        this.deps.log.info({ service_id: serviceId, digest: source.digest }, "component restored");
      } catch (err) {
        this.deps.log.error(
          { service_id: serviceId, digest: source.digest, err },
          `${use.label} is missing from the component cache and could not be restored`,
        );
      }
    }
  }

  private downloadOptions() {
    return {
      ipfsGateway: this.deps.ipfsGateway,
      timeoutMs: this.deps.fetchTimeoutMs,
      maxBytes: this.deps.maxComponentBytes,
      signal: this.deps.stopping(),
    };
  }
}
