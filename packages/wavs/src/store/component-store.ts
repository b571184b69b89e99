import type { ComponentWorld, JsonValue } from "../service/index.js";
import type { Db } from "./database.js";

/** One row of the components table. */
export interface StoredComponent {
  digest: string;
  world: ComponentWorld;
  /** Size of the wasm bytes. */
  size: number;
  /** JSON of the source it was first obtained from, e.g. `{"download": {uri, digest}}`. */
  firstSource: JsonValue;
  /** Milliseconds since the epoch. */
  registeredAt: number;
}

interface Row {
  digest: string;
  world: ComponentWorld;
  size: number;
  first_source: string;
  registered_at: number;
}

function fromRow(row: Row): StoredComponent {
  return {
    digest: row.digest,
    world: row.world,
    size: row.size,
    firstSource: JSON.parse(row.first_source) as JsonValue,
    registeredAt: row.registered_at,
  };
}

/** Owner of the components table: every component this node has verified and registered. */
export class ComponentStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[string], Row>(
        "SELECT digest, world, size, first_source, registered_at FROM components WHERE digest = ?",
      ),
      list: db.prepare<[], Row>(
        "SELECT digest, world, size, first_source, registered_at FROM components ORDER BY registered_at, digest",
      ),
      // The first source wins: later sightings of the same bytes change nothing.
      insert: db.prepare(
        "INSERT INTO components (digest, world, size, first_source, registered_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING",
      ),
    };
  }

  /** The component with that digest, or undefined. */
  get(digest: string): StoredComponent | undefined {
    const row = this.stmts.get.get(digest);
    return row ? fromRow(row) : undefined;
  }

  /** Every component, oldest first. */
  list(): StoredComponent[] {
    return this.stmts.list.all().map(fromRow);
  }

  /** Record a component; returns false when it was already recorded (its row is kept). */
  record(component: StoredComponent): boolean {
    const result = this.stmts.insert.run(
      component.digest,
      component.world,
      component.size,
      JSON.stringify(component.firstSource),
      component.registeredAt,
    );
    return result.changes > 0;
  }
}
