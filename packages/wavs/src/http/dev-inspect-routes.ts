/**
 * Dev routes to look inside a running node (WAVS has them): its trigger streams, a service's
 * KV keys and files, and the node's log, recent or followed live (server-sent events). All
 * read-only; secrets never appear (log lines are redacted before they are kept, URL
 * credentials again before they are served).
 */
import type { FastifyInstance } from "fastify";
import { redactUrlsInText } from "../config/index.js";
import {
  LOG_LEVEL_NUMBERS,
  type LogEntry,
  type LogFilter,
  matchesLog,
  WavsError,
} from "../internal/index.js";
import { describeValue } from "../service/index.js";
import type { NodeApi } from "./node-api.js";
import { documented, errors, serviceIdSchema } from "./schemas.js";

const TAGS = ["dev"];

const serviceParams = {
  type: "object",
  required: ["service_id"],
  properties: { service_id: serviceIdSchema },
} as const;

const logQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    level: {
      type: "string",
      enum: Object.keys(LOG_LEVEL_NUMBERS),
      description: "lowest level shown (default info)",
    },
    service_id: serviceIdSchema,
    limit: { type: "string", pattern: "^[0-9]{1,4}$", description: "1 to 1000 (default 200)" },
  },
} as const;

/** Log lines kept before the stream's live part starts. */
const STREAM_BACKLOG = 100;

/** The `limit` query parameter (digits, checked by the schema): 1 to 1000. */
function limitOf(text: string | undefined, fallback: number): number {
  const limit = Number(text ?? fallback);
  if (limit < 1 || limit > 1000) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `query parameter limit: ${describeValue(text)} is not an integer from 1 to 1000`,
    );
  }
  return limit;
}

function logFilter(query: { level?: string; service_id?: string }): LogFilter {
  return {
    minLevel: LOG_LEVEL_NUMBERS[query.level ?? "info"],
    serviceId: query.service_id,
  };
}

/** A log line as served: pino's JSON with its sequence number, URL credentials removed. */
function served(entry: LogEntry): Record<string, unknown> {
  return {
    seq: entry.seq,
    ...(JSON.parse(redactUrlsInText(JSON.stringify(entry.line))) as object),
  };
}

function notCaptured(): WavsError {
  return new WavsError("WAVS_ERR_HTTP_NOT_FOUND", "this node does not keep its log in memory", {
    hint: "Nodes started by `wavs node` or `wavs dev` keep it; a node embedded as a library passes a LogBuffer.",
  });
}

/** Register the dev inspection routes. */
export function devInspectRoutes(app: FastifyInstance, api: NodeApi): void {
  // open log streams end when the server closes (it would otherwise wait for them forever)
  const streams = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const end of [...streams]) end();
  });

  app.get(
    "/dev/trigger-streams",
    {
      schema: documented({
        tags: TAGS,
        summary: "The chains the node watches for triggers: mode, health, head, cursor, lag",
        response: {
          200: {
            type: "object",
            properties: {
              streams: { type: "array", items: { type: "object", additionalProperties: true } },
            },
          },
        },
      }),
    },
    async () => ({ streams: await api.triggerStreams() }),
  );

  app.get<{ Params: { service_id: string }; Querystring: { cursor?: string; limit?: string } }>(
    "/dev/kv/:service_id",
    {
      schema: documented({
        tags: TAGS,
        summary: "The KV keys a service stored, in (bucket, key) byte order, a page at a time",
        params: serviceParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            cursor: { type: "string", maxLength: 4096, description: "the previous page's cursor" },
            limit: {
              type: "string",
              pattern: "^[0-9]{1,4}$",
              description: "1 to 1000 (default 1000)",
            },
          },
        },
        response: {
          200: { type: "object", additionalProperties: true },
          400: errors[400],
          404: errors[404],
        },
      }),
    },
    async (request) => {
      const limit = limitOf(request.query.limit, 1000);
      return api.listKv(request.params.service_id, { cursor: request.query.cursor, limit });
    },
  );

  const fsRoute = async (
    serviceId: string,
    path: string,
    reply: import("fastify").FastifyReply,
  ) => {
    const file = await api.readServiceFile(serviceId, path);
    if (file.kind === "directory") return reply.send({ path, entries: file.entries });
    return reply
      .type("application/octet-stream")
      .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
  };
  const fsSchema = (summary: string, withPath: boolean) =>
    documented({
      tags: TAGS,
      summary,
      params: withPath
        ? {
            type: "object",
            required: ["service_id", "*"],
            properties: { service_id: serviceIdSchema, "*": { type: "string", maxLength: 4096 } },
          }
        : serviceParams,
      response: { 400: errors[400], 404: errors[404] },
    });
  app.get<{ Params: { service_id: string } }>(
    "/dev/fs/:service_id",
    { schema: fsSchema("The files at the root of a service's file system", false) },
    (request, reply) => fsRoute(request.params.service_id, "", reply),
  );
  app.get<{ Params: { service_id: string; "*": string } }>(
    "/dev/fs/:service_id/*",
    {
      schema: fsSchema(
        "A file of a service's file system (raw bytes), or a directory's entries (JSON); read-only, nothing outside its root",
        true,
      ),
    },
    (request, reply) => {
      let path = request.params["*"];
      try {
        // the wildcard arrives percent-encoded: decoded here, so "%2e%2e" is the ".." it is
        path = decodeURIComponent(path);
      } catch {
        // not valid percent-encoding: taken literally, and found or not
      }
      return fsRoute(request.params.service_id, path, reply);
    },
  );

  app.get<{ Querystring: { level?: string; service_id?: string; limit?: string } }>(
    "/dev/logs",
    {
      schema: documented({
        tags: TAGS,
        summary: "The node's recent log lines (redacted), oldest first",
        querystring: logQuery,
        response: {
          200: { type: "object", additionalProperties: true },
          400: errors[400],
          404: errors[404],
        },
      }),
    },
    async (request) => {
      const limit = limitOf(request.query.limit, 200);
      const entries = await api.logs(logFilter(request.query), limit);
      if (entries === undefined) throw notCaptured();
      return { logs: entries.map(served) };
    },
  );

  app.get<{ Querystring: { level?: string; service_id?: string } }>(
    "/dev/logs/stream",
    {
      schema: documented({
        tags: TAGS,
        summary: "The node's log lines as server-sent events: the last 100, then each new one",
        produces: ["text/event-stream"],
        querystring: {
          ...logQuery,
          properties: { level: logQuery.properties.level, service_id: serviceIdSchema },
        },
        response: { 400: errors[400], 404: errors[404] },
      }),
    },
    async (request, reply) => {
      const filter = logFilter(request.query);
      const backlog = await api.logs(filter, STREAM_BACKLOG);
      if (backlog === undefined) throw notCaptured();
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      const send = (entry: LogEntry) => {
        res.write(`id: ${entry.seq}\nevent: log\ndata: ${JSON.stringify(served(entry))}\n\n`);
      };
      for (const entry of backlog) send(entry);
      const unsubscribe = api.followLogs((entry) => {
        if (matchesLog(entry, filter)) send(entry);
      });
      // a comment line every 15 s keeps proxies from closing an idle stream
      const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
      keepAlive.unref();
      const end = () => {
        clearInterval(keepAlive);
        unsubscribe?.();
        streams.delete(end);
        res.end();
      };
      streams.add(end);
      request.raw.on("close", end);
    },
  );
}
