import { errorMessage } from "@wavs-ts/errors";
import type { KvStore } from "../../store/index.js";
import type { ExecState } from "./exec-state.js";
import { fail } from "./host-error.js";

const storeError = (err: unknown) => ({
  tag: "other",
  val: errorMessage(err),
});

/** Run a store operation, turning storage failures into the WIT `error` value. */
function guard<T>(op: () => T): T {
  try {
    return op();
  } catch (err) {
    fail(storeError(err));
  }
}

/**
 * wasi:keyvalue@0.2.0-draft2 (store, atomics, batch) over the persistent KvStore, namespaced
 * by the running service. `swap` is a real compare-and-swap.
 */
export function keyvalueImports(state: ExecState) {
  class Bucket {
    readonly execId: number;
    readonly service: string;
    constructor(readonly name: string) {
      this.execId = state.currentId();
      this.service = state.current().serviceId;
    }
    ok(): void {
      state.check(this.execId);
    }
    get(key: string): Uint8Array | undefined {
      this.ok();
      return guard(() => state.kv.get(this.service, this.name, key));
    }
    set(key: string, value: Uint8Array): void {
      this.ok();
      guard(() => state.kv.set(this.service, this.name, key, value));
    }
    delete(key: string): void {
      this.ok();
      guard(() => state.kv.delete(this.service, this.name, key));
    }
    exists(key: string): boolean {
      this.ok();
      return guard(() => state.kv.get(this.service, this.name, key) !== undefined);
    }
    listKeys(cursor: string | undefined) {
      this.ok();
      return guard(() => state.kv.listKeys(this.service, this.name, cursor));
    }
  }

  class Cas {
    constructor(
      readonly bucket: Bucket,
      readonly key: string,
      readonly seen: Uint8Array | undefined,
    ) {}
    static new(bucket: Bucket, key: string): Cas {
      return new Cas(bucket, key, bucket.get(key));
    }
    current(): Uint8Array | undefined {
      return this.bucket.get(this.key);
    }
  }

  return {
    "wasi:keyvalue/store": {
      Bucket,
      open: (identifier: string) => new Bucket(identifier),
    },
    "wasi:keyvalue/atomics": {
      Cas,
      increment(bucket: Bucket, key: string, delta: bigint): bigint {
        state.check(bucket.execId);
        return guard(() => state.kv.increment(bucket.service, bucket.name, key, delta));
      },
      swap(cas: Cas, value: Uint8Array): void {
        state.check(cas.bucket.execId);
        const { service, name } = cas.bucket;
        let result: ReturnType<KvStore["compareAndSwap"]>;
        try {
          result = state.kv.compareAndSwap(service, name, cas.key, cas.seen, value);
        } catch (err) {
          fail({ tag: "store-error", val: storeError(err) });
        }
        if (!result.swapped)
          fail({ tag: "cas-failed", val: new Cas(cas.bucket, cas.key, result.current) });
      },
    },
    "wasi:keyvalue/batch": {
      getMany(bucket: Bucket, keys: string[]) {
        return keys.map((k) => {
          const v = bucket.get(k);
          return v === undefined ? undefined : ([k, v] as [string, Uint8Array]);
        });
      },
      setMany(bucket: Bucket, pairs: [string, Uint8Array][]): void {
        for (const [k, v] of pairs) bucket.set(k, v);
      },
      deleteMany(bucket: Bucket, keys: string[]): void {
        for (const k of keys) bucket.delete(k);
      },
    },
  };
}
