import { errorMessage } from "@wavs-ts/errors";
import type { ExecState } from "./exec-state.js";
import { fail } from "./host-error.js";

/** wasi:io/error `error` resource. */
export class IoError {
  constructor(readonly message: string) {}
  toDebugString(): string {
    return this.message;
  }
}

/** A source of bytes behind an input-stream. `null` means end of stream. */
export interface ByteSource {
  read(max: number): Uint8Array | null;
}

/** A sink behind an output-stream. */
export interface ByteSink {
  write(bytes: Uint8Array): void;
  /** Bytes the sink accepts right now. */
  capacity?(): number;
}

const CLOSED = { tag: "closed" } as const;

/** wasi:io/poll `pollable`: ready now, or at a monotonic deadline (nanoseconds). */
export class Pollable {
  constructor(
    private readonly state: ExecState,
    readonly deadlineNs: bigint | undefined,
  ) {}
  ready(): boolean {
    return this.deadlineNs === undefined || process.hrtime.bigint() >= this.deadlineNs;
  }
  block(): void {
    if (this.deadlineNs === undefined) return;
    const ms = Number((this.deadlineNs - process.hrtime.bigint()) / 1_000_000n);
    this.state.broker.sleep(ms + 1);
  }
}

/** wasi:io/poll `poll`: the indices of ready pollables, blocking until at least one is. */
export function poll(list: Pollable[]): Uint32Array {
  for (;;) {
    const ready = list.flatMap((p, i) => (p.ready() ? [i] : []));
    if (ready.length > 0 || list.length === 0) return new Uint32Array(ready);
    const next = list.reduce<Pollable | undefined>(
      (a, p) => (a === undefined || (p.deadlineNs ?? 0n) < (a.deadlineNs ?? 0n) ? p : a),
      undefined,
    );
    next?.block();
  }
}

/** wasi:io/streams `input-stream`. */
export class InputStream {
  private readonly execId: number;
  constructor(
    private readonly state: ExecState,
    private readonly source: ByteSource,
  ) {
    this.execId = state.currentId();
  }
  read(len: bigint): Uint8Array {
    this.state.check(this.execId);
    const chunk = this.source.read(Number(len > 1_048_576n ? 1_048_576n : len));
    if (chunk === null) fail(CLOSED);
    return chunk;
  }
  blockingRead(len: bigint): Uint8Array {
    return this.read(len);
  }
  skip(len: bigint): bigint {
    return BigInt(this.read(len).length);
  }
  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }
  subscribe(): Pollable {
    return new Pollable(this.state, undefined);
  }
}

/** wasi:io/streams `output-stream`. */
export class OutputStream {
  private readonly execId: number;
  constructor(
    private readonly state: ExecState,
    private readonly sink: ByteSink,
  ) {
    this.execId = state.currentId();
  }
  checkWrite(): bigint {
    this.state.check(this.execId);
    return BigInt(this.sink.capacity?.() ?? 1_048_576);
  }
  write(contents: Uint8Array): void {
    this.state.check(this.execId);
    try {
      this.sink.write(contents);
    } catch (err) {
      fail({
        tag: "last-operation-failed",
        val: new IoError(errorMessage(err)),
      });
    }
  }
  blockingWriteAndFlush(contents: Uint8Array): void {
    this.write(contents);
  }
  flush(): void {
    this.state.check(this.execId);
  }
  blockingFlush(): void {
    this.state.check(this.execId);
  }
  writeZeroes(len: bigint): void {
    this.write(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
  }
  splice(src: InputStream, len: bigint): bigint {
    const chunk = src.read(len);
    this.write(chunk);
    return BigInt(chunk.length);
  }
  blockingSplice(src: InputStream, len: bigint): bigint {
    return this.splice(src, len);
  }
  subscribe(): Pollable {
    return new Pollable(this.state, undefined);
  }
}

/** An in-memory byte source over one buffer. */
export function bufferSource(bytes: Uint8Array): ByteSource {
  let offset = 0;
  return {
    read(max) {
      if (offset >= bytes.length) return null;
      const chunk = bytes.subarray(offset, offset + max);
      offset += chunk.length;
      return chunk;
    },
  };
}

/** wasi:io imports. */
export function ioImports() {
  return {
    "wasi:io/error": { Error: IoError },
    "wasi:io/poll": { Pollable, poll },
    "wasi:io/streams": { InputStream, OutputStream },
  };
}
