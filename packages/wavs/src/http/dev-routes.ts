/**
 * The /dev/* routes, registered only when `dev_endpoints_enabled` is true: upload components,
 * store and register service JSON without a chain, fire triggers by hand, read KV, add chains.
 */
import type { FastifyInstance } from "fastify";
import { WavsError } from "../internal/index.js";
import { MAX_COMPONENT_BYTES } from "../registry/index.js";
import {
  describeValue,
  isChainKey,
  parseService,
  parseTrigger,
  parseTriggerDataJson,
} from "../service/index.js";
import { atField } from "./errors.js";
import type { NodeApi } from "./node-api.js";
import {
  bearerSecurity,
  documented,
  errors,
  noContent,
  serviceIdSchema,
  serviceSchema,
  workflowIdSchema,
} from "./schemas.js";

const TAGS = ["dev"];

/** Content types accepted for raw component bytes. */
export const BINARY_CONTENT_TYPES = ["application/wasm", "application/octet-stream"];

/** Most firings one /dev/triggers request may ask for. */
export const MAX_TRIGGER_COUNT = 1000;

const hashParams = {
  type: "object",
  required: ["hash"],
  properties: { hash: { type: "string", minLength: 1, maxLength: 128 } },
} as const;

interface TriggerBody {
  service_id: string;
  workflow_id: string;
  trigger?: unknown;
  data: unknown;
  count?: number;
  wait_for_completion?: boolean;
}

/** Register the dev routes. */
export function devRoutes(app: FastifyInstance, api: NodeApi): void {
  // The one route that takes bytes, in a context of its own: only it parses byte bodies, and
  // every JSON route answers 415 to them. Raw bytes are buffered whole (bounded by bodyLimit)
  // so they can be hashed and validated.
  app.register(async (bytes) => componentUploadRoute(bytes, api));

  app.post<{ Body: unknown }>(
    "/dev/services",
    {
      schema: documented({
        tags: TAGS,
        summary: "Store a service JSON by hash (served back at GET /dev/services/{hash})",
        security: bearerSecurity,
        body: serviceSchema,
        response: {
          200: { type: "object", properties: { hash: { type: "string" } } },
          400: errors[400],
          401: errors[401],
        },
      }),
    },
    async (request) => {
      // Refuse a broken service here, with the field named, rather than when it is registered.
      parseService(request.body);
      return { hash: (await api.storeDevService(request.body)).hash };
    },
  );

  app.get<{ Params: { hash: string } }>(
    "/dev/services/:hash",
    {
      schema: documented({
        tags: TAGS,
        summary: "A stored service JSON (usable as a service URI)",
        params: hashParams,
        response: { 200: serviceSchema, 404: errors[404] },
      }),
    },
    async (request) => api.getDevService(request.params.hash),
  );

  app.post<{ Params: { hash: string } }>(
    "/dev/services/:hash",
    {
      schema: documented({
        tags: TAGS,
        summary: "Register a stored service directly (no chain read)",
        security: bearerSecurity,
        params: hashParams,
        response: { ...noContent, 401: errors[401], 404: errors[404], 409: errors[409] },
      }),
    },
    async (request, reply) => {
      await api.addDevService(request.params.hash);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: TriggerBody }>(
    "/dev/triggers",
    {
      schema: documented({
        tags: TAGS,
        summary: "Fire a workflow by hand with the given trigger data",
        security: bearerSecurity,
        body: {
          type: "object",
          required: ["service_id", "workflow_id", "data"],
          additionalProperties: false,
          properties: {
            service_id: serviceIdSchema,
            workflow_id: workflowIdSchema,
            trigger: { description: 'the workflow\'s Trigger, e.g. "manual"' },
            data: {
              description:
                'TriggerData, snake_case ({"raw": "0x6869"}) or PascalCase ({"Raw": [104, 105]})',
            },
            count: { type: "integer", minimum: 1, maximum: MAX_TRIGGER_COUNT, default: 1 },
            wait_for_completion: { type: "boolean", default: false },
          },
        },
        response: {
          200: {
            description: "Fired; with wait_for_completion, the results.",
            type: "object",
            additionalProperties: true,
          },
          400: errors[400],
          401: errors[401],
          404: errors[404],
        },
      }),
    },
    async (request) => {
      const body = request.body;
      const data = atField("data", () => parseTriggerDataJson(body.data));
      const trigger =
        body.trigger === undefined
          ? undefined
          : atField("trigger", () => parseTrigger(body.trigger));
      const result = await api.fireTrigger({
        serviceId: body.service_id,
        workflowId: body.workflow_id,
        ...(trigger === undefined ? {} : { trigger }),
        data,
        count: body.count ?? 1,
        waitForCompletion: body.wait_for_completion ?? false,
      });
      return result ?? {};
    },
  );

  app.get<{ Params: { service_id: string; bucket: string; key: string } }>(
    "/dev/kv/:service_id/:bucket/:key",
    {
      schema: documented({
        tags: TAGS,
        summary: "A raw KV value of a service",
        produces: ["application/octet-stream"],
        params: {
          type: "object",
          required: ["service_id", "bucket", "key"],
          properties: {
            service_id: serviceIdSchema,
            bucket: { type: "string" },
            key: { type: "string" },
          },
        },
        response: {
          200: { type: "string", format: "binary", description: "the stored bytes" },
          404: errors[404],
        },
      }),
    },
    async (request, reply) => {
      const { service_id, bucket, key } = request.params;
      const value = await api.getKv(service_id, bucket, key);
      if (value === undefined) {
        throw new WavsError(
          "WAVS_ERR_HTTP_NOT_FOUND",
          `no value at key ${describeValue(key)} in bucket ${describeValue(bucket)} of service ${service_id}`,
        );
      }
      return reply
        .type("application/octet-stream")
        .send(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    },
  );

  app.post<{ Body: { chain: string; config: Record<string, unknown> } }>(
    "/dev/chains",
    {
      schema: documented({
        tags: TAGS,
        summary: "Add a chain to the running node",
        security: bearerSecurity,
        body: {
          type: "object",
          required: ["chain", "config"],
          additionalProperties: false,
          properties: {
            chain: { type: "string", description: "chain key, e.g. evm:31337" },
            config: {
              type: "object",
              description:
                '{"type": "evm", "chain_id", "ws_endpoints", "http_endpoint"} or {"type": "cosmos", ...}',
            },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              added: {
                type: "boolean",
                description: "false when the chain was configured already, the same",
              },
            },
          },
          400: errors[400],
          401: errors[401],
          409: errors[409],
        },
      }),
    },
    async (request) => {
      const { chain, config } = request.body;
      if (!isChainKey(chain)) {
        throw new WavsError(
          "WAVS_ERR_INPUT_INVALID",
          `chain: ${describeValue(chain)} is not a chain key (namespace:id, e.g. evm:31337)`,
        );
      }
      return { added: await api.addChain(chain, config) };
    },
  );
}

/** POST /dev/components: a component's bytes, as application/wasm or application/octet-stream. */
function componentUploadRoute(app: FastifyInstance, api: NodeApi): void {
  app.addContentTypeParser(BINARY_CONTENT_TYPES, { parseAs: "buffer" }, (_request, body, done) =>
    done(null, body),
  );
  app.post<{ Body: unknown }>(
    "/dev/components",
    {
      schema: documented({
        tags: TAGS,
        summary: "Upload a component's wasm bytes; returns its digest",
        security: bearerSecurity,
        consumes: BINARY_CONTENT_TYPES,
        body: { type: "string", format: "binary", description: "the component's wasm bytes" },
        response: {
          200: { type: "object", properties: { digest: { type: "string" } } },
          400: errors[400],
          401: errors[401],
          413: errors[413],
          415: errors[415],
        },
      }),
      // componentize-js output alone is ~18 MB, past the JSON body limit; this is the
      // registry's own cap on component size
      bodyLimit: MAX_COMPONENT_BYTES,
      // The body schema above only documents the route: the bytes arrive as a Buffer, which a
      // JSON-schema validator would reject, and are checked by the handler and the engine.
      validatorCompiler: () => () => true,
    },
    async (request) => {
      const body = request.body;
      if (!Buffer.isBuffer(body)) {
        throw new WavsError(
          "WAVS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE",
          "send the component as raw bytes",
          { hint: `Use Content-Type ${BINARY_CONTENT_TYPES.join(" or ")}.` },
        );
      }
      if (body.length === 0) {
        throw new WavsError(
          "WAVS_ERR_INPUT_INVALID",
          "request body: empty (expected the component's wasm bytes)",
        );
      }
      const bytes = new Uint8Array(body.buffer, body.byteOffset, body.length);
      return { digest: (await api.uploadComponent(bytes)).digest };
    },
  );
}
