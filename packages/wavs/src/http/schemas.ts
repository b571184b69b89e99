/**
 * JSON schemas shared by the route groups. They check the top level of each request (fields
 * present, types, id formats) and feed the OpenAPI document; the deep shapes (service manager,
 * service, trigger data) are checked by the service/ parsers, whose messages name the field.
 */
import type { FastifySchema } from "fastify";
import { WavsError } from "../internal/index.js";
import { describeValue } from "../service/index.js";
import { errorBodySchema } from "./errors.js";

/** A route schema with the OpenAPI fields @fastify/swagger reads. */
export type DocumentedSchema = FastifySchema & {
  tags?: readonly string[];
  summary?: string;
  description?: string;
  security?: ReadonlyArray<{ [label: string]: readonly string[] }>;
  consumes?: readonly string[];
  produces?: readonly string[];
  hide?: boolean;
};

/**
 * A route schema with its OpenAPI fields. @fastify/swagger's augmentation of FastifySchema does
 * not reach fastify's re-exported type, so the fields are typed here.
 */
export function documented(schema: DocumentedSchema): FastifySchema {
  return schema;
}

/** A ServiceManager in WAVS JSON; validated by parseServiceManager. */
export const serviceManagerSchema = {
  type: "object",
  description:
    'A service manager: {"evm": {"chain": "evm:31337", "address": "0x..."}} or {"cosmos": {"chain": "cosmos:wasmd-1", "address": "<bech32>"}}.',
  examples: [
    { evm: { chain: "evm:31337", address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" } },
  ],
} as const;

/** A Service in WAVS JSON (service.md); validated by parseService. */
export const serviceSchema = {
  type: "object",
  description: "A service definition: {name, workflows, status, manager} (see service.md).",
  additionalProperties: true,
} as const;

/** A ServiceId path or body field. */
export const serviceIdSchema = {
  type: "string",
  pattern: "^[0-9a-f]{64}$",
  description: "a service id (64 lowercase hex characters)",
} as const;

/** A WorkflowId body field. */
export const workflowIdSchema = {
  type: "string",
  pattern: "^[a-z0-9_-]{3,36}$",
  description: "a workflow id (3 to 36 characters of a-z, 0-9, _ and -)",
} as const;

/** Response entry for a JSON error with this status. */
function errorResponse(description: string) {
  return { description, ...errorBodySchema };
}

/** Error responses by status, for route schemas. */
export const errors = {
  400: errorResponse("Invalid input; the message names the field."),
  401: errorResponse("Missing or wrong bearer token."),
  404: errorResponse("Unknown id."),
  409: errorResponse("Conflict, e.g. already registered."),
  413: errorResponse("Body larger than max_body_size_mb."),
  415: errorResponse("Unsupported Content-Type."),
  502: errorResponse("A chain endpoint or download failed."),
} as const;

/** The 204 response entry. */
export const noContent = { 204: { description: "Done.", type: "null" } } as const;

/** OpenAPI security requirement of mutating routes. */
export const bearerSecurity = [{ bearerAuth: [] }];

/** Paging query string of the history routes: `limit` and `before`, as digits. */
export const pageQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    limit: {
      type: "string",
      pattern: "^[0-9]{1,9}$",
      description: "an integer from 1 to 1000 (default 50)",
    },
    before: {
      type: "string",
      pattern: "^[0-9]{1,15}$",
      description: "a record id: only older records (ids below it) are listed",
    },
  },
} as const;

/** Page size when `limit` is not given. */
export const DEFAULT_PAGE_LIMIT = 50;
/** Largest accepted `limit`. */
export const MAX_PAGE_LIMIT = 1000;

/**
 * Read `limit` and `before` from the query. They arrive as digit strings (query values are
 * text and we do not let the validator coerce types, so JSON bodies stay strict).
 */
export function parsePage(query: { limit?: string; before?: string }): {
  limit: number;
  before?: number;
} {
  const limit = query.limit === undefined ? DEFAULT_PAGE_LIMIT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `query parameter limit: ${describeValue(query.limit)} is not an integer from 1 to ${MAX_PAGE_LIMIT}`,
    );
  }
  if (query.before === undefined) return { limit };
  const before = Number(query.before);
  if (!Number.isSafeInteger(before) || before < 1) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `query parameter before: ${describeValue(query.before)} is not a positive record id`,
    );
  }
  return { limit, before };
}
