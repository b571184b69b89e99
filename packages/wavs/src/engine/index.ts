/** The component engine: prepared components, the worker pool, limits and the host. */

export type { ExecRequest } from "./engine.js";
export { Engine } from "./engine.js";
export type { ComponentWorld, ExecLog } from "./exec-types.js";
export { preparedDir, readPrepared } from "./prepare-component.js";
export { rawRunRequest } from "./raw-run-request.js";
export type { AggregatorAction, WasmResponse } from "./responses.js";
export { validateAggregatorActions, validateResponses } from "./responses.js";
export type { ServiceRunContext } from "./service-run-request.js";
export { serviceRequestFields } from "./service-run-request.js";
