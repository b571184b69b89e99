import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../test/helpers/temp-database.js";
import { ServiceStore, type StoredService } from "./service-store.js";

const record = (n: number, at: number): StoredService => ({
  serviceId: n.toString(16).padStart(64, "0"),
  managerChain: "evm:31337",
  managerAddress: `0x${n.toString(16).padStart(40, "0")}`,
  json: `{"name":"s${n}"}`,
  sourceUri: n % 2 === 0 ? null : `http://127.0.0.1/s${n}.json`,
  status: "active",
  registeredAt: at,
  updatedAt: at,
});

describe("ServiceStore", () => {
  const t = useTempDatabase();

  it("inserts, lists oldest first, and survives a reopen", () => {
    const store = new ServiceStore(t.db());
    store.insert(record(2, 20));
    store.insert(record(1, 10));
    const reopened = new ServiceStore(t.reopen());
    expect(reopened.list()).toEqual([record(1, 10), record(2, 20)]);
    expect(reopened.get(record(2, 20).serviceId)?.sourceUri).toBeNull();
  });

  it("refuses a second row for the same service id", () => {
    const store = new ServiceStore(t.db());
    store.insert(record(1, 10));
    expect(() => store.insert(record(1, 11))).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it("replaces the definition but keeps the registration time", () => {
    const store = new ServiceStore(t.db());
    const original = record(1, 10);
    store.insert(original);
    const revision = {
      json: '{"name":"v2"}',
      sourceUri: "ipfs://x/y",
      status: "paused",
      updatedAt: 99,
    } as const;
    expect(store.replace(original.serviceId, revision)).toBe(true);
    expect(store.get(original.serviceId)).toEqual({ ...original, ...revision });
    expect(store.replace(record(5, 0).serviceId, revision)).toBe(false);
  });

  it("deletes, reporting whether there was anything", () => {
    const store = new ServiceStore(t.db());
    store.insert(record(1, 10));
    expect(store.delete(record(1, 10).serviceId)).toBe(true);
    expect(store.delete(record(1, 10).serviceId)).toBe(false);
    expect(store.list()).toEqual([]);
  });
});
