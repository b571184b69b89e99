import { describe, expect, it } from "vitest";
import { MemoryImage } from "./memory-image.js";

const PAGE = 65536;

describe("MemoryImage", () => {
  it("keeps only non-zero pages and restores every byte, zeros included", () => {
    const memory = new WebAssembly.Memory({ initial: 6 });
    const bytes = new Uint8Array(memory.buffer);
    bytes[5] = 1; // page 0
    bytes[2 * PAGE + 7] = 2; // page 2
    bytes[3 * PAGE] = 3; // page 3 (a run with page 2)
    bytes[6 * PAGE - 1] = 4; // the last byte of page 5
    const image = MemoryImage.take(bytes);
    expect(image.byteLength).toBe(6 * PAGE);
    expect(image.storedBytes).toBe(4 * PAGE);
    const original = bytes.slice();
    // a run scribbles over everything, zero pages too
    bytes.fill(0xab);
    image.restoreInto(bytes);
    expect(Buffer.compare(bytes, original)).toBe(0);
  });

  it("restores a single changed byte anywhere in a run, of data or of zeros", () => {
    const memory = new WebAssembly.Memory({ initial: 8 });
    const bytes = new Uint8Array(memory.buffer);
    bytes.fill(5, 0, 4 * PAGE); // a data run of four pages, then a zero run of four
    const image = MemoryImage.take(bytes);
    const original = bytes.slice();
    for (const at of [0, PAGE + 1, 4 * PAGE - 1, 4 * PAGE, 6 * PAGE + 100, 8 * PAGE - 1]) {
      bytes[at] = 9;
      image.restoreInto(bytes);
      expect(Buffer.compare(bytes, original)).toBe(0);
    }
  });

  it("is a copy: later writes to the memory do not change it", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const bytes = new Uint8Array(memory.buffer);
    bytes[10] = 9;
    const image = MemoryImage.take(bytes);
    bytes[10] = 1;
    image.restoreInto(bytes);
    expect(bytes[10]).toBe(9);
  });

  it("holds nothing for an all-zero memory", () => {
    const bytes = new Uint8Array(new WebAssembly.Memory({ initial: 3 }).buffer);
    const image = MemoryImage.take(bytes);
    expect(image.storedBytes).toBe(0);
    bytes[PAGE + 3] = 7;
    image.restoreInto(bytes);
    expect(bytes.every((b) => b === 0)).toBe(true);
  });
});
