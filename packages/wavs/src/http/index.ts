/** The node's HTTP API: the server, the NodeApi it calls, and the records it lists. */
export type {
  AggregationRecord,
  EventRecord,
  ExecutionRecord,
  ExecutionStats,
  FireTriggerRequest,
  NodeApi,
  SignatureOrigin,
  SubmissionRecord,
} from "./node-api.js";
export {
  createHttpServer,
  type HttpAddress,
  type HttpServer,
  type HttpServerConfig,
  type HttpServerOptions,
  httpServerConfig,
} from "./server.js";
