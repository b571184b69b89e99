import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../test/helpers/temp-database.js";
import { KeyStore } from "./key-store.js";

const id = (n: number) => n.toString(16).padStart(64, "0");

describe("KeyStore", () => {
  const t = useTempDatabase();

  it("assigns 1, 2, 3 in order and returns the same assignment when asked again", () => {
    const keys = new KeyStore(t.db());
    expect(keys.assign(id(1), 100)).toEqual({ serviceId: id(1), hdIndex: 1, assignedAt: 100 });
    expect(keys.assign(id(2), 200).hdIndex).toBe(2);
    expect(keys.assign(id(1), 300)).toEqual({ serviceId: id(1), hdIndex: 1, assignedAt: 100 });
    expect(keys.assign(id(3)).hdIndex).toBe(3);
    expect(keys.list().map((k) => [k.serviceId, k.hdIndex])).toEqual([
      [id(1), 1],
      [id(2), 2],
      [id(3), 3],
    ]);
  });

  it("keeps assignments across a reopen and continues after the highest index", () => {
    new KeyStore(t.db()).assign(id(7));
    new KeyStore(t.db()).assign(id(8));
    const keys = new KeyStore(t.reopen());
    expect(keys.get(id(8))?.hdIndex).toBe(2);
    expect(keys.assign(id(9)).hdIndex).toBe(3);
  });

  it("never hands an index to a second service (the table refuses it)", () => {
    const db = t.db();
    new KeyStore(db).assign(id(1));
    expect(() => db.prepare("INSERT INTO signing_keys VALUES (?, 1, 0)").run(id(2))).toThrow(
      /UNIQUE/,
    );
    expect(() => db.prepare("INSERT INTO signing_keys VALUES (?, 0, 0)").run(id(3))).toThrow(
      /CHECK/,
    );
  });

  it("joins a caller's transaction, so a rollback undoes the assignment", () => {
    const db = t.db();
    const keys = new KeyStore(db);
    expect(() =>
      db.transaction(() => {
        keys.assign(id(1));
        throw new Error("later step failed");
      })(),
    ).toThrow("later step failed");
    expect(keys.get(id(1))).toBeUndefined();
    expect(keys.assign(id(2)).hdIndex).toBe(1);
  });
});
