/** `wavs dev`: the local network (anvil, a wasmd chain with --cosmos, contracts, operator nodes) and its demo. */

export type { DemoResult } from "./demo.js";
export { runDemo } from "./demo.js";
export { devServiceJson, NEW_TRIGGER_TOPIC } from "./dev-services.js";
export type { Devnet } from "./devnet.js";
export { startDevnet } from "./devnet.js";
export { devQuorumSize, MAX_DEV_OPERATORS } from "./limits.js";
export { pickPorts } from "./ports.js";
export { ensureWasmd } from "./wasmd-binary.js";
export { connectFaucet, startWasmd, type WasmdChain } from "./wasmd-chain.js";
