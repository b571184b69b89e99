import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { MIGRATIONS } from "./migrations.js";

/** An open SQLite database of the node. */
export type Db = Database.Database;

/**
 * The driver, loaded when a database is first opened rather than when this module is imported:
 * an engine worker opens its key-value store only when a component first uses it, so a
 * `wavs exec` of a component that never does skips loading the addon.
 */
let driver: typeof Database | undefined;
function sqlite(): typeof Database {
  driver ??= createRequire(import.meta.url)("better-sqlite3") as typeof Database;
  return driver;
}

/**
 * Open (creating if needed) the node's SQLite database in WAL mode and apply pending
 * migrations. Several threads may open the same file: WAL lets readers run beside the one
 * writer, and the busy timeout makes writers queue instead of failing.
 */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const Driver = sqlite();
  const db = new Driver(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
  );
  const apply = db.transaction(() => {
    const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as {
      v: number | null;
    };
    const current = row.v ?? 0;
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(
        m.version,
        Date.now(),
      );
    }
  });
  // IMMEDIATE: two processes starting together must not both apply the same migration
  apply.immediate();
}
