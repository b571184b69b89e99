/** Routes for registered services: list, get, add, remove, signer. */
import type { FastifyInstance } from "fastify";
import { WavsError } from "../internal/index.js";
import {
  describeValue,
  isChainKey,
  parseServiceManager,
  type ServiceManager,
  serviceToJson,
} from "../service/index.js";
import { atField } from "./errors.js";
import type { NodeApi } from "./node-api.js";
import {
  bearerSecurity,
  documented,
  errors,
  noContent,
  serviceIdSchema,
  serviceManagerSchema,
  serviceSchema,
} from "./schemas.js";

const TAGS = ["services"];

/**
 * The manager named by GET /services/{chain}/{address}. Problems are reported against the
 * path parameters (`address: ...`), not the JSON the parameters are assembled into.
 */
export function managerFromPath(chain: string, address: string): ServiceManager {
  if (!isChainKey(chain)) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `path parameter chain: ${describeValue(chain)} is not a chain key (namespace:id, e.g. evm:31337)`,
    );
  }
  const namespace = chain.slice(0, chain.indexOf(":"));
  return atField(
    // `evm.address` -> `address`; a problem at the root is the chain's unknown namespace.
    (path) => `path parameter ${path === "" ? "chain" : path.replace(/^[a-z0-9-]+\./, "")}`,
    () => parseServiceManager({ [namespace]: { chain, address } }),
  );
}

/** Register the service routes. */
export function servicesRoutes(app: FastifyInstance, api: NodeApi): void {
  app.get(
    "/services",
    {
      schema: documented({
        tags: TAGS,
        summary: "List registered services",
        response: {
          200: {
            type: "object",
            properties: {
              services: { type: "array", items: serviceSchema },
              service_ids: { type: "array", items: { type: "string" } },
              component_digests: { type: "array", items: { type: "string" } },
            },
          },
        },
      }),
    },
    async () => {
      const { services, serviceIds, componentDigests } = await api.listServices();
      return {
        services: services.map(serviceToJson),
        service_ids: serviceIds,
        component_digests: componentDigests,
      };
    },
  );

  app.get<{ Params: { chain: string; address: string } }>(
    "/services/:chain/:address",
    {
      schema: documented({
        tags: TAGS,
        summary: "Get the service registered for a service manager",
        params: {
          type: "object",
          required: ["chain", "address"],
          properties: {
            chain: { type: "string", description: "chain key, e.g. evm:31337" },
            address: { type: "string", description: "manager address (0x-hex or bech32)" },
          },
        },
        response: { 200: serviceSchema, 400: errors[400], 404: errors[404] },
      }),
    },
    async (request) => {
      const manager = managerFromPath(request.params.chain, request.params.address);
      return serviceToJson(await api.getService(manager));
    },
  );

  /** A body naming one service manager (opt in, signer). */
  const managerBody = {
    type: "object",
    required: ["service_manager"],
    additionalProperties: false,
    properties: { service_manager: serviceManagerSchema },
  } as const;

  app.post<{ Body: { service_manager: unknown } }>(
    "/services",
    {
      schema: documented({
        tags: TAGS,
        summary: "Opt into a service: read its URI from the manager, fetch and register it",
        security: bearerSecurity,
        body: managerBody,
        response: {
          ...noContent,
          400: errors[400],
          401: errors[401],
          409: errors[409],
          502: errors[502],
        },
      }),
    },
    async (request, reply) => {
      const manager = atField("service_manager", () =>
        parseServiceManager(request.body.service_manager),
      );
      await api.addService(manager);
      return reply.code(204).send();
    },
  );

  app.delete<{ Body: { service_managers: unknown[] } }>(
    "/services",
    {
      schema: documented({
        tags: TAGS,
        summary: "Opt out of services: stop their triggers and forget them",
        security: bearerSecurity,
        body: {
          type: "object",
          required: ["service_managers"],
          additionalProperties: false,
          properties: { service_managers: { type: "array", items: serviceManagerSchema } },
        },
        response: { ...noContent, 400: errors[400], 401: errors[401], 404: errors[404] },
      }),
    },
    async (request, reply) => {
      const managers = request.body.service_managers.map((json, i) =>
        atField(`service_managers[${i}]`, () => parseServiceManager(json)),
      );
      await api.removeServices(managers);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { service_manager: unknown } }>(
    "/services/signer",
    {
      schema: documented({
        tags: TAGS,
        summary: "The signing key assigned to a service",
        security: bearerSecurity,
        body: managerBody,
        response: {
          200: {
            type: "object",
            properties: {
              secp256k1: {
                type: "object",
                properties: { hd_index: { type: "integer" }, evm_address: { type: "string" } },
              },
            },
          },
          400: errors[400],
          401: errors[401],
          404: errors[404],
        },
      }),
    },
    async (request) => {
      const manager = atField("service_manager", () =>
        parseServiceManager(request.body.service_manager),
      );
      const { hdIndex, evmAddress } = await api.signer(manager);
      return { secp256k1: { hd_index: hdIndex, evm_address: evmAddress } };
    },
  );

  app.post<{ Params: { service_id: string }; Body: { status: "active" | "paused" } }>(
    "/services/:service_id/status",
    {
      schema: documented({
        tags: TAGS,
        summary:
          "Pause or resume a service: paused, its triggers fire nothing (cron restarts from the resume)",
        security: bearerSecurity,
        params: {
          type: "object",
          required: ["service_id"],
          properties: { service_id: serviceIdSchema },
        },
        body: {
          type: "object",
          required: ["status"],
          additionalProperties: false,
          properties: { status: { type: "string", enum: ["active", "paused"] } },
        },
        response: {
          200: {
            type: "object",
            properties: { service_id: { type: "string" }, status: { type: "string" } },
          },
          400: errors[400],
          401: errors[401],
          404: errors[404],
        },
      }),
    },
    async (request) => {
      const { service_id } = request.params;
      await api.setServiceStatus(service_id, request.body.status);
      return { service_id, status: request.body.status };
    },
  );
}
