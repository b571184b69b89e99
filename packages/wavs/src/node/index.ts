/** The node assembled from its parts (`createWavsNode`). */
export { createWavsNode } from "./wavs-node.js";
