import { randomBytes } from "node:crypto";
import type { ExecState } from "./exec-state.js";
import { Pollable } from "./io.js";

function randomU64(): bigint {
  return randomBytes(8).readBigUInt64LE();
}

/** wasi:clocks (monotonic and wall) and wasi:random (secure and insecure) imports. */
export function clocksAndRandomImports(state: ExecState) {
  return {
    "wasi:clocks/monotonic-clock": {
      now: (): bigint => process.hrtime.bigint(),
      resolution: (): bigint => 1n,
      subscribeDuration: (ns: bigint) => new Pollable(state, process.hrtime.bigint() + ns),
      subscribeInstant: (at: bigint) => new Pollable(state, at),
    },
    "wasi:clocks/wall-clock": {
      now() {
        const ms = Date.now();
        return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1_000_000 };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: 1_000_000 }),
    },
    "wasi:random/random": {
      getRandomBytes: (len: bigint) => new Uint8Array(randomBytes(Number(len))),
      getRandomU64: randomU64,
    },
    "wasi:random/insecure": {
      getInsecureRandomBytes: (len: bigint) => new Uint8Array(randomBytes(Number(len))),
      getInsecureRandomU64: randomU64,
    },
    "wasi:random/insecure-seed": {
      insecureSeed: (): [bigint, bigint] => [randomU64(), randomU64()],
    },
  };
}
