/** The node folder as the rest of the node sees it. */
export { createWavsNode } from "./wavs-node.js";
