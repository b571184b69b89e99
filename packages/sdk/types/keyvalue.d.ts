// wasi:keyvalue@0.2.0-draft2 as components see it (import it as `wasi:keyvalue/store@0.2.0-draft2`;
// the build adds the version when it is left out). Errors are thrown: a failed call throws
// an object whose `payload` is the WIT error value.

declare module "wasi:keyvalue/store*" {
  import type { KeyResponse, KeyValueError } from "@wavs-ts/sdk";

  export type Error = KeyValueError;
  export type { KeyResponse };

  /** A bucket of keys; every service has its own key space. */
  export class Bucket {
    private constructor();
    get(key: string): Uint8Array | undefined;
    set(key: string, value: Uint8Array): void;
    delete(key: string): void;
    exists(key: string): boolean;
    /** Keys in sorted order, a page at a time. */
    listKeys(cursor: string | undefined): KeyResponse;
  }

  /** Open a bucket by name (any name succeeds). */
  export function open(identifier: string): Bucket;
}

declare module "wasi:keyvalue/atomics*" {
  import type { Bucket } from "wasi:keyvalue/store@0.2.0-draft2";
  import type { KeyValueError } from "@wavs-ts/sdk";

  /** A compare-and-swap handle remembering the value seen at `Cas.new`. */
  export class Cas {
    private constructor();
    // biome-ignore lint/suspicious/noMisleadingInstantiator: the WIT names this static function `new`.
    static new(bucket: Bucket, key: string): Cas;
    current(): Uint8Array | undefined;
  }

  /** Thrown by `swap`: a store error, or `cas-failed` when the value changed since `Cas.new`. */
  export type CasError =
    | { tag: "store-error"; val: KeyValueError }
    | { tag: "cas-failed"; val: Cas };

  /** Add `delta` to a counter and return the new value; counters are separate from get/set values. */
  export function increment(bucket: Bucket, key: string, delta: bigint): bigint;
  /** Store `value` if the key still holds what the handle saw. */
  export function swap(cas: Cas, value: Uint8Array): void;
}

declare module "wasi:keyvalue/batch*" {
  import type { Bucket } from "wasi:keyvalue/store@0.2.0-draft2";

  export function getMany(bucket: Bucket, keys: string[]): Array<[string, Uint8Array] | undefined>;
  export function setMany(bucket: Bucket, keyValues: Array<[string, Uint8Array]>): void;
  export function deleteMany(bucket: Bucket, keys: string[]): void;
}
