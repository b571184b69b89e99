import type { ServiceStatus } from "../service/index.js";
import type { Db } from "./database.js";

/** One row of the services table. */
export interface StoredService {
  serviceId: string;
  managerChain: string;
  managerAddress: string;
  /** The service JSON text as stored (canonical, parses back to the same model). */
  json: string;
  /** Where the JSON was fetched from; null for services added directly (dev routes). */
  sourceUri: string | null;
  status: ServiceStatus;
  /** Milliseconds since the epoch. */
  registeredAt: number;
  updatedAt: number;
}

/** The fields that change when a service definition is replaced. */
export interface ServiceRevision {
  json: string;
  sourceUri: string | null;
  status: ServiceStatus;
  updatedAt: number;
}

interface Row {
  service_id: string;
  manager_chain: string;
  manager_address: string;
  json: string;
  source_uri: string | null;
  status: ServiceStatus;
  registered_at: number;
  updated_at: number;
}

const COLUMNS =
  "service_id, manager_chain, manager_address, json, source_uri, status, registered_at, updated_at";

function fromRow(row: Row): StoredService {
  return {
    serviceId: row.service_id,
    managerChain: row.manager_chain,
    managerAddress: row.manager_address,
    json: row.json,
    sourceUri: row.source_uri,
    status: row.status,
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
  };
}

/** Owner of the services table: the registered service definitions. */
export class ServiceStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM services WHERE service_id = ?`),
      list: db.prepare<[], Row>(
        `SELECT ${COLUMNS} FROM services ORDER BY registered_at, service_id`,
      ),
      insert: db.prepare(`INSERT INTO services (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      replace: db.prepare(
        "UPDATE services SET json = ?, source_uri = ?, status = ?, updated_at = ? WHERE service_id = ?",
      ),
      delete: db.prepare("DELETE FROM services WHERE service_id = ?"),
    };
  }

  /** The service with that id, or undefined. */
  get(serviceId: string): StoredService | undefined {
    const row = this.stmts.get.get(serviceId);
    return row ? fromRow(row) : undefined;
  }

  /** Every service, oldest registration first. */
  list(): StoredService[] {
    return this.stmts.list.all().map(fromRow);
  }

  /** Insert a new service; throws (SQLite constraint) if the id is already present. */
  insert(service: StoredService): void {
    this.stmts.insert.run(
      service.serviceId,
      service.managerChain,
      service.managerAddress,
      service.json,
      service.sourceUri,
      service.status,
      service.registeredAt,
      service.updatedAt,
    );
  }

  /** Replace a service's definition; returns false when the id is not present. */
  replace(serviceId: string, revision: ServiceRevision): boolean {
    const result = this.stmts.replace.run(
      revision.json,
      revision.sourceUri,
      revision.status,
      revision.updatedAt,
      serviceId,
    );
    return result.changes > 0;
  }

  /** Delete a service; returns false when the id was not present. */
  delete(serviceId: string): boolean {
    return this.stmts.delete.run(serviceId).changes > 0;
  }
}
