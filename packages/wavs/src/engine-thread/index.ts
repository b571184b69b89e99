/**
 * Starting the engine's worker threads: where their scripts are and how one is started, early
 * if asked. Its own folder, apart from `engine/`, so a command can start a worker without
 * loading the engine (~100 ms of modules) first.
 */
export {
  createEngineWorker,
  prespawnEngineWorker,
  takeEngineWorker,
} from "./engine-worker-thread.js";
export { engineWorkerPath } from "./worker-path.js";
