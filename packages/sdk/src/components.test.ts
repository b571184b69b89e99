// Runs built example and fixture components through a tiny jco-based runner to prove the SDK's
// output behaves: JSON in/out, the ABI path for EVM triggers, and how failures surface.
import { decodeAbiParameters, encodeAbiParameters, toHex } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { type LoadedComponent, loadComponent, rawAction } from "../test/helpers/run-component.js";
import { buildFixture } from "./fixtures.js";
import { bytesToHex, hexToBytes } from "./guest/bytes.js";

const BUILD_TIMEOUT = 240_000;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const loaded: LoadedComponent[] = [];
afterAll(async () => {
  await Promise.all(loaded.map((c) => c.close()));
});

async function load(name: string, config: Record<string, string> = {}): Promise<LoadedComponent> {
  const c = await loadComponent(await buildFixture(name), config);
  loaded.push(c);
  return c;
}

describe("square example", () => {
  it(
    'answers {"y":n*n} for raw JSON and abi.encode(DataWithId) for a NewTrigger event',
    async () => {
      const square = await load("square");
      // Async wrapper: jco's exports return or throw synchronously.
      const run = async (a: unknown) => square.exports.run!(a);
      const out = (await run(rawAction(enc('{"x":3}')))) as Array<{ payload: Uint8Array }>;
      expect(out).toHaveLength(1);
      expect(dec(out[0]!.payload)).toBe('{"y":9}');

      const info = encodeAbiParameters(
        [
          {
            type: "tuple",
            components: [{ type: "uint64" }, { type: "address" }, { type: "bytes" }],
          },
        ],
        [[77n, "0x1111111111111111111111111111111111111111", toHex(enc('{"x":12}'))]],
      );
      const logData = encodeAbiParameters([{ type: "bytes" }], [info]);
      const evm = {
        config: { serviceId: "0".repeat(64), workflowId: "default", trigger: { tag: "manual" } },
        data: {
          tag: "evm-contract-event",
          val: {
            chain: "evm:31337",
            log: {
              address: { rawBytes: new Uint8Array(20) },
              data: { topics: [new Uint8Array(32)], data: hexToBytes(logData) },
              txHash: new Uint8Array(32),
              blockNumber: 1n,
              logIndex: 0n,
              blockHash: new Uint8Array(32),
              blockTimestamp: undefined,
              txIndex: 0n,
            },
          },
        },
      };
      const [resp] = (await run(evm)) as Array<{ payload: Uint8Array }>;
      const [decoded] = decodeAbiParameters(
        [
          {
            type: "tuple",
            components: [
              { name: "triggerId", type: "uint64" },
              { name: "data", type: "bytes" },
            ],
          },
        ],
        bytesToHex(resp!.payload) as `0x${string}`,
      );
      expect(decoded.triggerId).toBe(77n);
      expect(dec(hexToBytes(decoded.data))).toBe('{"y":144}');
      expect(square.logs).toContainEqual({
        level: "info",
        message: "square: trigger 77 from 0x1111111111111111111111111111111111111111",
      });

      await expect(run(rawAction(enc("not json")))).rejects.toThrow(/input is not JSON/);
    },
    BUILD_TIMEOUT,
  );
});

describe("trap fixture", () => {
  it(
    "turns a thrown Error and an explicit err into err strings, and really traps on unreachable",
    async () => {
      const trap = await load("trap");
      const run = async (a: unknown) => trap.exports.run!(a);
      // jco throws the err string of result<_, string> wrapped in an Error whose message is it.
      await expect(run(rawAction(enc("throw")))).rejects.toThrow("trap fixture: thrown error");
      await expect(run(rawAction(enc("err")))).rejects.toThrow("trap fixture: explicit err");
      await expect(run(rawAction(enc("unreachable")))).rejects.toBeInstanceOf(
        WebAssembly.RuntimeError,
      );
    },
    BUILD_TIMEOUT,
  );
});
