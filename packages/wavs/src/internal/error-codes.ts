/**
 * Every stable error code, its HTTP status and whether a retry may help. Codes are never
 * reused or renamed; add new ones at the end of their area. docs/errors.md must list each one
 * (a test keeps them in step).
 */
export const ERROR_CODES = {
  WAVS_ERR_INTERNAL: { status: 500, retryable: false, doc: "A bug in WAVS-TS. Please report it." },
  WAVS_ERR_INPUT_INVALID: {
    status: 400,
    retryable: false,
    doc: "An argument, flag or request body is malformed.",
  },
  WAVS_ERR_CONFIG_INVALID: {
    status: 400,
    retryable: false,
    doc: "wavs.toml, an environment variable or a flag has a bad value.",
  },
  WAVS_ERR_SERVICE_INVALID: {
    status: 400,
    retryable: false,
    doc: "A service definition JSON does not match the WAVS schema.",
  },
  WAVS_ERR_TRIGGER_DATA_INVALID: {
    status: 400,
    retryable: false,
    doc: "Trigger data JSON (for /dev/triggers or --simulates-trigger) has the wrong shape.",
  },
  WAVS_ERR_COMPONENT_INVALID: {
    status: 400,
    retryable: false,
    doc: "The bytes are not a WebAssembly component of the operator or aggregator world.",
  },
  WAVS_ERR_COMPONENT_NOT_FOUND: {
    status: 404,
    retryable: false,
    doc: "No component with that digest is registered.",
  },
  WAVS_ERR_COMPONENT_BUILD: {
    status: 400,
    retryable: false,
    doc: "Building a TypeScript component failed.",
  },
  WAVS_ERR_EXEC_TRAP: {
    status: 422,
    retryable: false,
    doc: "The component trapped (a WebAssembly runtime error).",
  },
  WAVS_ERR_EXEC_TIMEOUT: {
    status: 422,
    retryable: false,
    doc: "The component ran longer than its time limit.",
  },
  WAVS_ERR_EXEC_MEMORY: {
    status: 422,
    retryable: false,
    doc: "The component tried to use more memory than allowed.",
  },
  WAVS_ERR_EXEC_FUEL: {
    status: 422,
    retryable: false,
    doc: "The component used more fuel than its fuel limit.",
  },
  WAVS_ERR_EXEC_COMPONENT_ERROR: {
    status: 422,
    retryable: false,
    doc: "The component returned an error value.",
  },
  WAVS_ERR_EXEC_BAD_RESPONSE: {
    status: 422,
    retryable: false,
    doc: "The component returned a result that breaks the rules (size, salts).",
  },
  WAVS_ERR_EXEC_WORKER_CRASHED: {
    status: 500,
    retryable: true,
    doc: "The worker running the component died unexpectedly; the pool replaced it.",
  },
  WAVS_ERR_EXEC_OVERLOADED: {
    status: 503,
    retryable: true,
    doc: "The engine queue is full; try again later.",
  },
  WAVS_ERR_CHAIN_UNKNOWN: {
    status: 400,
    retryable: false,
    doc: "The chain key is not configured.",
  },
  WAVS_ERR_CHAIN_RPC: {
    status: 502,
    retryable: true,
    doc: "A chain endpoint failed or did not answer.",
  },
} as const satisfies Record<string, { status: number; retryable: boolean; doc: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
