// @wavs-ts/contracts: compiled WAVS contracts (ABI + bytecode), envelope signing, deployment
// helpers and a real-anvil harness.
export * from "./anvil.js";
export * from "./cosmwasm.js";
export * from "./deploy.js";
export * from "./envelope.js";
export * from "./errors.js";
export * from "./generated/index.js";
export * from "./keccak.js";
export * from "./secp256k1.js";
