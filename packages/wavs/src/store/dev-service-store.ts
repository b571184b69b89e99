import { createHash } from "node:crypto";
import type { Db } from "./database.js";

/** The key of a dev service: sha256 hex of the JSON text's UTF-8 bytes. */
export function devServiceHash(json: string): string {
  return createHash("sha256").update(json, "utf8").digest("hex");
}

/**
 * Owner of the dev_services table: service JSON stored through `POST /dev/services` and
 * served back by hash, so a dev service can be its own service URI.
 */
export class DevServiceStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[string], { json: string }>("SELECT json FROM dev_services WHERE hash = ?"),
      insert: db.prepare(
        "INSERT INTO dev_services (hash, json, stored_at) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING",
      ),
    };
  }

  /** Store JSON text (idempotent: the same text always lands on the same hash); returns its hash. */
  put(json: string, now: number = Date.now()): string {
    const hash = devServiceHash(json);
    this.stmts.insert.run(hash, json, now);
    return hash;
  }

  /** The JSON text stored under `hash`, or undefined. */
  get(hash: string): string | undefined {
    return this.stmts.get.get(hash)?.json;
  }
}
