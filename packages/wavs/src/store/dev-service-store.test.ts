import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../test/helpers/temp-database.js";
import { DevServiceStore, devServiceHash } from "./dev-service-store.js";

describe("DevServiceStore", () => {
  const t = useTempDatabase();

  it("stores JSON under the sha256 of its bytes and serves it back after a reopen", () => {
    const json = '{"name":"dév"}';
    const hash = new DevServiceStore(t.db()).put(json);
    expect(hash).toBe(createHash("sha256").update(Buffer.from(json, "utf8")).digest("hex"));
    expect(devServiceHash(json)).toBe(hash);
    expect(new DevServiceStore(t.reopen()).get(hash)).toBe(json);
  });

  it("is idempotent and answers undefined for an unknown hash", () => {
    const store = new DevServiceStore(t.db());
    expect(store.put("{}")).toBe(store.put("{}"));
    expect(store.get("00".repeat(32))).toBeUndefined();
  });
});
