/** Recent executions, signed submissions and aggregations of a service, newest first, paged by id. */
import type { FastifyInstance } from "fastify";
import type { NodeApi } from "./node-api.js";
import { documented, errors, pageQuerySchema, parsePage, serviceIdSchema } from "./schemas.js";

const TAGS = ["history"];

const paramsSchema = {
  type: "object",
  required: ["service_id"],
  properties: { service_id: serviceIdSchema },
} as const;

/** What every history record has: its page id and the event it is about. */
const eventKeys = {
  id: { type: "integer" },
  service_id: { type: "string" },
  workflow_id: { type: "string" },
  event_id: { type: "string" },
} as const;

const executionSchema = {
  type: "object",
  properties: {
    ...eventKeys,
    trigger_type: { type: "string" },
    trigger_data: {
      type: "object",
      additionalProperties: true,
      description: "the trigger data in WAVS's JSON form (chain, block, transaction, log)",
    },
    status: { type: "string", enum: ["queued", "running", "succeeded", "failed"] },
    error_code: { type: ["string", "null"] },
    error_message: { type: ["string", "null"] },
    duration_ms: { type: ["number", "null"] },
    fuel_used: { type: ["integer", "null"], description: "fuel the run used (metered code)" },
    queued_at: {
      type: "integer",
      description: "when the trigger was recorded (ms since the Unix epoch)",
    },
    started_at: { type: ["integer", "null"], description: "ms since the Unix epoch" },
    finished_at: { type: ["integer", "null"], description: "ms since the Unix epoch" },
    attempts: {
      type: "integer",
      description: "runs so far (more than 1 after an interrupted run)",
    },
    logs: {
      type: "array",
      items: {
        type: "object",
        properties: {
          level: { type: "string" },
          source: { type: "string" },
          message: { type: "string" },
        },
      },
    },
    responses: {
      type: "array",
      items: {
        type: "object",
        properties: {
          payload_hex: { type: "string" },
          ordering: { type: ["integer", "null"] },
          event_id_salt: { type: ["string", "null"] },
        },
      },
    },
  },
} as const;

const submissionSchema = {
  type: "object",
  properties: {
    ...eventKeys,
    envelope_hash: { type: "string" },
    signer: { type: "string" },
    signature: { type: "string" },
    created_at: { type: "integer", description: "ms since the Unix epoch" },
    status: { type: "string" },
  },
} as const;

const msSchema = { type: ["integer", "null"], description: "ms since the Unix epoch" } as const;

const originProperties = {
  origin: {
    type: "string",
    enum: ["local", "peer"],
    description: "`local`: this node's own execution; `peer`: received from another operator",
  },
  peer_id: { type: ["string", "null"], description: "the peer's libp2p id when origin is peer" },
} as const;

const aggregationSchema = {
  type: "object",
  properties: {
    ...eventKeys,
    chain: { type: "string", description: "submit chain key, e.g. evm:31337" },
    handler: { type: "string", description: "the service handler the result is submitted to" },
    status: {
      type: "string",
      enum: ["collecting", "quorum", "failed", "burned"],
      description:
        "collecting: waiting for quorum; quorum: submitting; failed: the last attempt failed; burned: landed",
    },
    envelope_hash: { type: "string", description: "the envelope this record collects" },
    signers: {
      type: "array",
      description: "signatures over that envelope, in order of arrival",
      items: {
        type: "object",
        properties: {
          signer: { type: "string" },
          ...originProperties,
          received_at: { type: "integer", description: "ms since the Unix epoch" },
        },
      },
    },
    quorum_reached_at: msSchema,
    quorum_signers: { type: ["array", "null"], items: { type: "string" } },
    designated_submitter: { type: ["string", "null"] },
    landed_by: {
      type: ["string", "null"],
      enum: ["self", "other", null],
      description: "self: this node's transaction landed it; other: another operator's did",
    },
    landed_tx_hash: { type: ["string", "null"] },
    landed_block: { type: ["integer", "null"] },
    landed_at: msSchema,
    transaction: {
      type: ["object", "null"],
      description: "this node's own result transaction, if it sent or tried to send one",
      properties: {
        tx_hash: { type: ["string", "null"] },
        hashes: { type: "array", items: { type: "string" } },
        status: { type: "string", enum: ["queued", "sent", "mined", "failed"] },
        receipt_status: { type: ["string", "null"] },
        gas_used: { type: ["string", "null"] },
        block_number: { type: ["integer", "null"] },
        nonce: { type: ["integer", "null"] },
        error: { type: ["string", "null"] },
        sent_at: msSchema,
        mined_at: msSchema,
      },
    },
    disagreements: {
      type: "array",
      description: "valid submissions for the same event over a different envelope",
      items: {
        type: "object",
        properties: {
          signer: { type: "string" },
          envelope_hash: { type: "string" },
          ...originProperties,
          received_at: { type: "integer", description: "ms since the Unix epoch" },
        },
      },
    },
    notes: {
      type: "array",
      items: { type: "string" },
      description: "why it waits or failed",
    },
    created_at: { type: "integer", description: "ms since the Unix epoch" },
    updated_at: { type: "integer", description: "ms since the Unix epoch" },
  },
} as const;

/** `next_before` lets a client ask for the page after this one; null when this page is the last. */
function page<T extends { id: number }>(records: T[], limit: number): number | null {
  const last = records.at(-1);
  return records.length >= limit && last !== undefined ? last.id : null;
}

/** Register the execution, submission and aggregation history routes. */
export function historyRoutes(app: FastifyInstance, api: NodeApi): void {
  const pageResponse = (key: string, item: object) => ({
    200: {
      type: "object",
      properties: {
        [key]: { type: "array", items: item },
        next_before: {
          type: ["integer", "null"],
          description: "pass as `before` for the next page; null when there are no more",
        },
      },
    },
    400: errors[400],
    404: errors[404],
  });

  // one paged route per kind of history: same parameters, paging and errors
  const routes = [
    {
      key: "executions",
      summary: "Recent executions of a service (status, duration, logs, responses)",
      item: executionSchema,
      list: api.listExecutions.bind(api),
    },
    {
      key: "submissions",
      summary: "Recent signed submissions of a service",
      item: submissionSchema,
      list: api.listSubmissions.bind(api),
    },
    {
      key: "aggregations",
      summary:
        "Recent aggregations of a service: signers, quorum, designated submitter, landing transaction, and why one waits or failed",
      item: aggregationSchema,
      list: api.listAggregations.bind(api),
    },
  ] as const;
  for (const route of routes) {
    app.get<{ Params: { service_id: string }; Querystring: { limit?: string; before?: string } }>(
      `/services/:service_id/${route.key}`,
      {
        schema: documented({
          tags: TAGS,
          summary: route.summary,
          params: paramsSchema,
          querystring: pageQuerySchema,
          response: pageResponse(route.key, route.item),
        }),
      },
      async (request) => {
        const opts = parsePage(request.query);
        const records: { id: number }[] = await route.list(request.params.service_id, opts);
        return { [route.key]: records, next_before: page(records, opts.limit) };
      },
    );
  }

  app.get<{ Params: { event_id: string } }>(
    "/events/:event_id",
    {
      schema: documented({
        tags: TAGS,
        summary:
          "Everything this node knows of one event: its executions, what it signed, every operator's signature as it arrived, quorum and the transaction",
        params: {
          type: "object",
          required: ["event_id"],
          properties: {
            event_id: {
              type: "string",
              pattern: "^(0x)?[0-9a-fA-F]{40}$",
              description: "event id: 20 bytes of hex",
            },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              event_id: { type: "string" },
              executions: { type: "array", items: executionSchema },
              submissions: { type: "array", items: submissionSchema },
              aggregations: { type: "array", items: aggregationSchema },
            },
          },
          400: errors[400],
        },
      }),
    },
    async (request) => {
      const hex = request.params.event_id.toLowerCase().replace(/^0x/, "");
      return api.event(`0x${hex}`);
    },
  );
}
