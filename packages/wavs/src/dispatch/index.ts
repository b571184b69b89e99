/** Dispatch: each trigger becomes a durable execution, runs on the engine, and its signed responses go to the aggregator. */
export { Dispatcher, type DispatcherDeps, type DispatcherLimits } from "./dispatcher.js";
export { createHandOver, type HandOverDeps } from "./hand-over.js";
