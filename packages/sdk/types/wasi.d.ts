// The parts of standard WASI 0.2 that components commonly import directly. The build pins
// any `wasi:pkg/iface` or `wasi:pkg/iface@0.2.x` import to the WASI version of our WIT, so
// these are declared for every version. HTTP is best used through the global `fetch()`.

declare module "wasi:io/error*" {
  // biome-ignore lint/suspicious/noShadowRestrictedNames: jco names the WIT resource `error` so.
  export class Error {
    private constructor();
    toDebugString(): string;
  }
}

declare module "wasi:io/poll*" {
  export class Pollable {
    private constructor();
    ready(): boolean;
    /** Block until ready (a component sleeping this way does not hold the node up). */
    block(): void;
  }
  /** Wait for at least one pollable; returns the indexes of the ready ones. */
  export function poll(pollables: Pollable[]): Uint32Array;
}

declare module "wasi:io/streams*" {
  import type { Error as IoError } from "wasi:io/error@0.2.12";
  import type { Pollable } from "wasi:io/poll@0.2.12";

  export type StreamError = { tag: "last-operation-failed"; val: IoError } | { tag: "closed" };

  export class InputStream {
    private constructor();
    read(len: bigint): Uint8Array;
    blockingRead(len: bigint): Uint8Array;
    skip(len: bigint): bigint;
    blockingSkip(len: bigint): bigint;
    subscribe(): Pollable;
  }

  export class OutputStream {
    private constructor();
    checkWrite(): bigint;
    write(contents: Uint8Array): void;
    blockingWriteAndFlush(contents: Uint8Array): void;
    flush(): void;
    blockingFlush(): void;
    subscribe(): Pollable;
  }
}

declare module "wasi:clocks/monotonic-clock*" {
  import type { Pollable } from "wasi:io/poll@0.2.12";

  /** Nanoseconds. */
  export type Instant = bigint;
  /** Nanoseconds. */
  export type Duration = bigint;
  export function now(): Instant;
  export function resolution(): Duration;
  export function subscribeInstant(when: Instant): Pollable;
  export function subscribeDuration(when: Duration): Pollable;
}

declare module "wasi:clocks/wall-clock*" {
  export interface Datetime {
    seconds: bigint;
    nanoseconds: number;
  }
  export function now(): Datetime;
  export function resolution(): Datetime;
}

declare module "wasi:cli/environment*" {
  export function getEnvironment(): Array<[string, string]>;
  export function getArguments(): string[];
  export function initialCwd(): string | undefined;
}

declare module "wasi:cli/exit*" {
  export function exit(
    status: { tag: "ok"; val?: undefined } | { tag: "err"; val?: undefined },
  ): void;
}

declare module "wasi:cli/stdout*" {
  import type { OutputStream } from "wasi:io/streams@0.2.12";
  export function getStdout(): OutputStream;
}

declare module "wasi:cli/stderr*" {
  import type { OutputStream } from "wasi:io/streams@0.2.12";
  export function getStderr(): OutputStream;
}

declare module "wasi:random/random*" {
  export function getRandomBytes(len: bigint): Uint8Array;
  export function getRandomU64(): bigint;
}

declare module "wasi:random/insecure*" {
  export function getInsecureRandomBytes(len: bigint): Uint8Array;
  export function getInsecureRandomU64(): bigint;
}

declare module "wasi:random/insecure-seed*" {
  export function insecureSeed(): [bigint, bigint];
}

declare module "wasi:filesystem/types*" {
  import type { Error as IoError } from "wasi:io/error@0.2.12";
  import type { InputStream, OutputStream } from "wasi:io/streams@0.2.12";

  export type Filesize = bigint;
  /** Thrown (as the `payload` of the error) by failing descriptor calls. */
  export type ErrorCode =
    | "access"
    | "would-block"
    | "already"
    | "bad-descriptor"
    | "busy"
    | "deadlock"
    | "quota"
    | "exist"
    | "file-too-large"
    | "illegal-byte-sequence"
    | "in-progress"
    | "interrupted"
    | "invalid"
    | "io"
    | "is-directory"
    | "loop"
    | "too-many-links"
    | "message-size"
    | "name-too-long"
    | "no-device"
    | "no-entry"
    | "no-lock"
    | "insufficient-memory"
    | "insufficient-space"
    | "not-directory"
    | "not-empty"
    | "not-recoverable"
    | "unsupported"
    | "no-tty"
    | "no-such-device"
    | "overflow"
    | "not-permitted"
    | "pipe"
    | "read-only"
    | "invalid-seek"
    | "text-file-busy"
    | "cross-device";
  export type DescriptorType =
    | "unknown"
    | "block-device"
    | "character-device"
    | "directory"
    | "fifo"
    | "symbolic-link"
    | "regular-file"
    | "socket";
  export interface DescriptorFlags {
    read?: boolean;
    write?: boolean;
    fileIntegritySync?: boolean;
    dataIntegritySync?: boolean;
    requestedWriteSync?: boolean;
    mutateDirectory?: boolean;
  }
  export interface PathFlags {
    symlinkFollow?: boolean;
  }
  export interface OpenFlags {
    create?: boolean;
    directory?: boolean;
    exclusive?: boolean;
    truncate?: boolean;
  }
  export interface DescriptorStat {
    type: DescriptorType;
    linkCount: bigint;
    size: Filesize;
  }
  export interface DirectoryEntry {
    type: DescriptorType;
    name: string;
  }

  export class DirectoryEntryStream {
    private constructor();
    readDirectoryEntry(): DirectoryEntry | undefined;
  }

  export class Descriptor {
    private constructor();
    readViaStream(offset: Filesize): InputStream;
    writeViaStream(offset: Filesize): OutputStream;
    appendViaStream(): OutputStream;
    getType(): DescriptorType;
    /** Returns the bytes read and whether the end of the file was reached. */
    read(length: Filesize, offset: Filesize): [Uint8Array, boolean];
    write(buffer: Uint8Array, offset: Filesize): Filesize;
    readDirectory(): DirectoryEntryStream;
    createDirectoryAt(path: string): void;
    stat(): DescriptorStat;
    statAt(pathFlags: PathFlags, path: string): DescriptorStat;
    openAt(
      pathFlags: PathFlags,
      path: string,
      openFlags: OpenFlags,
      flags: DescriptorFlags,
    ): Descriptor;
    readlinkAt(path: string): string;
    removeDirectoryAt(path: string): void;
    unlinkFileAt(path: string): void;
  }

  export function filesystemErrorCode(err: IoError): ErrorCode | undefined;
}

declare module "wasi:filesystem/preopens*" {
  import type { Descriptor } from "wasi:filesystem/types@0.2.12";
  /** The directories the host opened for the component, with their guest paths. */
  export function getDirectories(): Array<[Descriptor, string]>;
}

declare module "wasi:sockets/network*" {
  /** An opaque handle to the network the host gives the component. */
  export class Network {}
  export type ErrorCode =
    | "unknown"
    | "access-denied"
    | "not-supported"
    | "invalid-argument"
    | "out-of-memory"
    | "timeout"
    | "concurrency-conflict"
    | "not-in-progress"
    | "would-block"
    | "invalid-state"
    | "new-socket-limit"
    | "address-not-bindable"
    | "address-in-use"
    | "remote-unreachable"
    | "connection-refused"
    | "connection-reset"
    | "connection-aborted"
    | "datagram-too-large"
    | "name-unresolvable"
    | "temporary-resolver-failure"
    | "permanent-resolver-failure";
  export type IpAddressFamily = "ipv4" | "ipv6";
  export type IpAddress =
    | { tag: "ipv4"; val: [number, number, number, number] }
    | { tag: "ipv6"; val: [number, number, number, number, number, number, number, number] };
}

declare module "wasi:sockets/instance-network*" {
  import type { Network } from "wasi:sockets/network@0.2.12";
  /** The network of this component instance. */
  export function instanceNetwork(): Network;
}

declare module "wasi:sockets/ip-name-lookup*" {
  import type { IpAddress, Network } from "wasi:sockets/network@0.2.12";
  /** A stream of resolved addresses; `undefined` once exhausted. */
  export class ResolveAddressStream {
    resolveNextAddress(): IpAddress | undefined;
  }
  /** Resolve a host name; throws a network error code (e.g. "access-denied"). */
  export function resolveAddresses(network: Network, name: string): ResolveAddressStream;
}

declare module "wasi:sockets/tcp-create-socket*" {
  import type { IpAddressFamily } from "wasi:sockets/network@0.2.12";
  /** Create a TCP socket; throws a network error code when refused. */
  export function createTcpSocket(addressFamily: IpAddressFamily): unknown;
}
