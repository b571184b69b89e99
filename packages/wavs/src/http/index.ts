/** The node's HTTP API: the server, the NodeApi it calls, and the records it lists. */
export type {
  ExecutionRecord,
  FireTriggerRequest,
  NodeApi,
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
