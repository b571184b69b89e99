import * as fs from "node:fs";
import { isAbsolute, join, normalize, relative, sep } from "node:path";
import type { ExecState } from "./exec-state.js";
import { fail } from "./host-error.js";
import { InputStream, OutputStream } from "./io.js";

type ErrorCode = string;

function errorCode(err: unknown): ErrorCode {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no-entry";
    case "EEXIST":
      return "exist";
    case "ENOTDIR":
      return "not-directory";
    case "EISDIR":
      return "is-directory";
    case "ENOTEMPTY":
      return "not-empty";
    case "EACCES":
    case "EPERM":
      return "access";
    case "EINVAL":
      return "invalid";
    case "ENOSPC":
      return "insufficient-space";
    case "EBADF":
      return "bad-descriptor";
    default:
      return "io";
  }
}

function io<T>(op: () => T): T {
  try {
    return op();
  } catch (err) {
    if (err && typeof err === "object" && "payload" in err) throw err;
    fail(errorCode(err));
  }
}

function typeOf(st: fs.Stats): string {
  if (st.isFile()) return "regular-file";
  if (st.isDirectory()) return "directory";
  if (st.isSymbolicLink()) return "symbolic-link";
  return "unknown";
}

function datetime(ms: number) {
  return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: Math.floor((ms % 1000) * 1e6) };
}

function stat(st: fs.Stats) {
  return {
    type: typeOf(st),
    linkCount: BigInt(st.nlink),
    size: BigInt(st.size),
    dataAccessTimestamp: datetime(st.atimeMs),
    dataModificationTimestamp: datetime(st.mtimeMs),
    statusChangeTimestamp: datetime(st.ctimeMs),
  };
}

/**
 * wasi:filesystem over a per-service directory preopened as `.`. Every path is
 * resolved inside that root: absolute paths, `..` that leaves it, and symbolic links are
 * refused, so nothing else of the host file system is reachable.
 */
export function filesystemImports(state: ExecState) {
  class Descriptor {
    readonly execId: number;
    constructor(
      readonly root: string,
      readonly rel: string,
      readonly isDir: boolean,
      readonly flags: { read?: boolean; write?: boolean },
    ) {
      this.execId = state.currentId();
    }
    full(): string {
      state.check(this.execId);
      return join(this.root, this.rel);
    }
    resolve(path: string): { rel: string; full: string } {
      state.check(this.execId);
      if (isAbsolute(path) || path.includes("\0")) fail("not-permitted");
      const rel = normalize(join(this.rel, path));
      if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) fail("not-permitted");
      const full = join(this.root, rel);
      // refuse symbolic links anywhere on the path, so a link cannot point outside the root
      let cursor = this.root;
      for (const part of relative(this.root, full)
        .split(sep)
        .filter((p) => p && p !== ".")) {
        cursor = join(cursor, part);
        try {
          if (fs.lstatSync(cursor).isSymbolicLink()) fail("not-permitted");
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === "ENOENT") break;
          throw err;
        }
      }
      return { rel: rel === "." ? "" : rel, full };
    }
    readViaStream(offset: bigint): InputStream {
      const full = this.full();
      let pos = Number(offset);
      return new InputStream(state, {
        read(max) {
          const buf = Buffer.alloc(max);
          const fd = fs.openSync(full, "r");
          try {
            const n = fs.readSync(fd, buf, 0, max, pos);
            if (n === 0) return null;
            pos += n;
            return new Uint8Array(buf.subarray(0, n));
          } finally {
            fs.closeSync(fd);
          }
        },
      });
    }
    writeViaStream(offset: bigint): OutputStream {
      const full = this.full();
      let pos = Number(offset);
      return new OutputStream(state, {
        write(bytes) {
          const fd = fs.openSync(full, "r+");
          try {
            pos += fs.writeSync(fd, bytes, 0, bytes.length, pos);
          } finally {
            fs.closeSync(fd);
          }
        },
      });
    }
    appendViaStream(): OutputStream {
      const full = this.full();
      return new OutputStream(state, { write: (bytes) => fs.appendFileSync(full, bytes) });
    }
    advise(): void {}
    syncData(): void {}
    sync(): void {}
    getFlags() {
      return this.flags;
    }
    getType(): string {
      return io(() => typeOf(fs.statSync(this.full())));
    }
    setSize(size: bigint): void {
      io(() => fs.truncateSync(this.full(), Number(size)));
    }
    setTimes(): void {}
    setTimesAt(): void {}
    read(length: bigint, offset: bigint): [Uint8Array, boolean] {
      return io(() => {
        const buf = Buffer.alloc(Math.min(Number(length), 16 << 20));
        const fd = fs.openSync(this.full(), "r");
        try {
          const n = fs.readSync(fd, buf, 0, buf.length, Number(offset));
          return [new Uint8Array(buf.subarray(0, n)), n === 0];
        } finally {
          fs.closeSync(fd);
        }
      });
    }
    write(buffer: Uint8Array, offset: bigint): bigint {
      return io(() => {
        const fd = fs.openSync(this.full(), "r+");
        try {
          return BigInt(fs.writeSync(fd, buffer, 0, buffer.length, Number(offset)));
        } finally {
          fs.closeSync(fd);
        }
      });
    }
    readDirectory(): DirectoryEntryStream {
      const entries = io(() => fs.readdirSync(this.full(), { withFileTypes: true }));
      return new DirectoryEntryStream(
        entries.map((e) => ({
          type: e.isFile()
            ? "regular-file"
            : e.isDirectory()
              ? "directory"
              : e.isSymbolicLink()
                ? "symbolic-link"
                : "unknown",
          name: e.name,
        })),
      );
    }
    createDirectoryAt(path: string): void {
      const { full } = this.resolve(path);
      io(() => fs.mkdirSync(full));
    }
    stat() {
      return io(() => stat(fs.statSync(this.full())));
    }
    statAt(_flags: unknown, path: string) {
      const { full } = this.resolve(path);
      return io(() => stat(fs.lstatSync(full)));
    }
    linkAt(): never {
      fail("not-permitted");
    }
    openAt(
      _pathFlags: unknown,
      path: string,
      openFlags: { create?: boolean; directory?: boolean; exclusive?: boolean; truncate?: boolean },
      flags: { read?: boolean; write?: boolean },
    ): Descriptor {
      const { rel, full } = this.resolve(path);
      return io(() => {
        let exists = fs.existsSync(full);
        if (exists && openFlags.exclusive && openFlags.create) fail("exist");
        if (!exists && openFlags.create) {
          if (openFlags.directory) fs.mkdirSync(full);
          else fs.writeFileSync(full, new Uint8Array());
          exists = true;
        }
        if (!exists) fail("no-entry");
        const st = fs.statSync(full);
        if (openFlags.directory && !st.isDirectory()) fail("not-directory");
        if (openFlags.truncate && st.isFile()) fs.truncateSync(full, 0);
        return new Descriptor(this.root, rel, st.isDirectory(), flags);
      });
    }
    readlinkAt(): never {
      fail("not-permitted");
    }
    removeDirectoryAt(path: string): void {
      const { full } = this.resolve(path);
      io(() => fs.rmdirSync(full));
    }
    renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): void {
      const from = this.resolve(oldPath).full;
      const to = newDescriptor.resolve(newPath).full;
      io(() => fs.renameSync(from, to));
    }
    symlinkAt(): never {
      fail("not-permitted");
    }
    unlinkFileAt(path: string): void {
      const { full } = this.resolve(path);
      io(() => fs.unlinkSync(full));
    }
    isSameObject(other: Descriptor): boolean {
      return this.root === other.root && this.rel === other.rel;
    }
    metadataHash() {
      const st = io(() => fs.statSync(this.full()));
      return { lower: BigInt(st.ino), upper: BigInt(st.dev) };
    }
    metadataHashAt(_flags: unknown, path: string) {
      const { full } = this.resolve(path);
      const st = io(() => fs.statSync(full));
      return { lower: BigInt(st.ino), upper: BigInt(st.dev) };
    }
  }

  class DirectoryEntryStream {
    i = 0;
    constructor(readonly entries: { type: string; name: string }[]) {}
    readDirectoryEntry() {
      return this.entries[this.i++];
    }
  }

  return {
    "wasi:filesystem/preopens": {
      getDirectories(): [Descriptor, string][] {
        const root = state.current().fsRoot;
        if (!root) return [];
        fs.mkdirSync(root, { recursive: true });
        return [[new Descriptor(root, "", true, { read: true, write: true }), "."]];
      },
    },
    "wasi:filesystem/types": {
      Descriptor,
      DirectoryEntryStream,
      filesystemErrorCode: () => undefined,
    },
  };
}
