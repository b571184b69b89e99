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
  WAVS_ERR_SERVICE_NOT_FOUND: {
    status: 404,
    retryable: false,
    doc: "No service is registered (or stored, for dev services) under that manager, id or hash.",
  },
  WAVS_ERR_SERVICE_ALREADY_REGISTERED: {
    status: 409,
    retryable: false,
    doc: "A service with that manager is already registered; remove it first or wait for its URI update.",
  },
  WAVS_ERR_SERVICE_MANAGER_MISMATCH: {
    status: 400,
    retryable: false,
    doc: "The service JSON names another service manager than the one asked for (its ServiceId would differ).",
  },
  WAVS_ERR_SERVICE_MANAGER_NOT_FOUND: {
    status: 404,
    retryable: false,
    doc: "The manager address has no contract answering getServiceURI() on that chain.",
  },
  WAVS_ERR_SERVICE_URI_INVALID: {
    status: 400,
    retryable: false,
    doc: "The service URI is empty or not http://, https:// or ipfs://.",
  },
  WAVS_ERR_SERVICE_URI_UNREACHABLE: {
    status: 502,
    retryable: true,
    doc: "The service JSON could not be fetched: connection failed, timed out or answered non-2xx.",
  },
  WAVS_ERR_SERVICE_REGISTRATION_TIMEOUT: {
    status: 504,
    retryable: true,
    doc: "Registering the service (chain reads, service JSON, component downloads and preparation) took longer than its one deadline; nothing was stored.",
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
  WAVS_ERR_COMPONENT_DIGEST_MISMATCH: {
    status: 502,
    retryable: false,
    doc: "A downloaded component's sha256 differs from the digest the service names; it was refused.",
  },
  WAVS_ERR_COMPONENT_UNREACHABLE: {
    status: 502,
    retryable: true,
    doc: "A component could not be downloaded: connection failed, timed out or answered non-2xx.",
  },
  WAVS_ERR_COMPONENT_NOT_UPLOADED: {
    status: 400,
    retryable: false,
    doc: "A service references a component by digest that was never uploaded to this node.",
  },
  WAVS_ERR_COMPONENT_SOURCE_UNSUPPORTED: {
    status: 400,
    retryable: false,
    doc: "A component source this node cannot fetch from (a WASI package registry).",
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
  WAVS_ERR_CHAIN_ALREADY_CONFIGURED: {
    status: 409,
    retryable: false,
    doc: "POST /dev/chains named a chain the node has configured already, with other settings.",
  },
  WAVS_ERR_CHAIN_RPC: {
    status: 502,
    retryable: true,
    doc: "A chain endpoint failed or did not answer.",
  },
  WAVS_ERR_CHAIN_PRUNED: {
    status: 502,
    retryable: false,
    doc: "The chain's node no longer keeps a block that is needed (pruned); catching up that far back needs an archive endpoint.",
  },
  WAVS_ERR_HTTP_NOT_FOUND: {
    status: 404,
    retryable: false,
    doc: "No such route on the HTTP API (or nothing stored at that path).",
  },
  WAVS_ERR_DASHBOARD_NOT_BUILT: {
    status: 503,
    retryable: false,
    doc: "The dashboard's static assets are missing from this install; `npm run build` builds them (npm install does too).",
  },
  WAVS_ERR_HTTP_UNAUTHORIZED: {
    status: 401,
    retryable: false,
    doc: "The route needs `Authorization: Bearer <token>` and the token is missing or wrong.",
  },
  WAVS_ERR_HTTP_BODY_TOO_LARGE: {
    status: 413,
    retryable: false,
    doc: "The request body is larger than max_body_size_mb.",
  },
  WAVS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    retryable: false,
    doc: "The request's Content-Type is not one the route accepts.",
  },
  WAVS_ERR_HTTP_MALFORMED_REQUEST: {
    status: 400,
    retryable: false,
    doc: "The request is not valid HTTP/1.1 (request line, header syntax, a URL that is not percent-encoded, or both Content-Length and Transfer-Encoding); the connection is closed.",
  },
  WAVS_ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    retryable: true,
    doc: "The request's headers or body did not arrive in time; the connection is closed.",
  },
  WAVS_ERR_HTTP_URI_TOO_LONG: {
    status: 414,
    retryable: false,
    doc: "A path parameter of the URL is longer than any the API takes.",
  },
  WAVS_ERR_HTTP_HEADERS_TOO_LARGE: {
    status: 431,
    retryable: false,
    doc: "The request's headers are larger than the server accepts (16 KiB); the connection is closed.",
  },
  WAVS_ERR_SIGNING_NO_MNEMONIC: {
    status: 503,
    retryable: false,
    doc: "The node has no signing_mnemonic, so it cannot derive or use signing keys.",
  },
  WAVS_ERR_P2P_KEY_INVALID: {
    status: 500,
    retryable: false,
    doc: "The p2p identity key file in the data directory cannot be read or is not a libp2p private key.",
  },
  WAVS_ERR_P2P_LISTEN_FAILED: {
    status: 503,
    retryable: true,
    doc: "The p2p layer could not start listening (port in use or not permitted).",
  },
  WAVS_ERR_P2P_NOT_RUNNING: {
    status: 503,
    retryable: true,
    doc: "A p2p operation was asked of a node that is not started (or already stopped).",
  },
  WAVS_ERR_P2P_MESSAGE_TOO_LARGE: {
    status: 413,
    retryable: false,
    doc: "A submission encodes to more bytes than the gossip message cap, so it cannot be shared with peers.",
  },
  WAVS_ERR_P2P_PEER_LIMITS: {
    status: 502,
    retryable: false,
    doc: "A peer's catch-up stream broke the frame limits (too large, too many, cut inside a frame); the peer is penalised.",
  },
  WAVS_ERR_AGGREGATOR_SUBMISSION_INVALID: {
    status: 400,
    retryable: false,
    doc: "A signed submission was refused before any work: unknown service or workflow, malformed envelope, event id not matching its trigger data, a signature that does not recover to the claimed signer, or a signer the service manager does not know.",
  },
  WAVS_ERR_AGGREGATOR_NO_CREDENTIAL: {
    status: 503,
    retryable: false,
    doc: "Quorum was reached but the node has no aggregator_evm_credential to send the transaction; another operator may land it.",
  },
  WAVS_ERR_AGGREGATOR_TX_FAILED: {
    status: 502,
    retryable: true,
    doc: "A result transaction could not be sent or reverted; the execution records and aggregation list say why.",
  },
  WAVS_ERR_CLI_NO_CREDENTIAL: {
    status: 400,
    retryable: false,
    doc: "A CLI command must send a transaction but no aggregator_evm_credential is configured for the CLI.",
  },
  WAVS_ERR_CHAIN_TX_REVERTED: {
    status: 502,
    retryable: false,
    doc: "A transaction sent by the CLI was mined but reverted.",
  },
  WAVS_ERR_NODE_UNREACHABLE: {
    status: 502,
    retryable: true,
    doc: "The CLI could not reach the WAVS node at --wavs-endpoint, or it answered something unexpected.",
  },
  WAVS_ERR_RESULT_NOT_FOUND: {
    status: 404,
    retryable: true,
    doc: "The handler contract holds no result for that trigger id (yet).",
  },
  WAVS_ERR_DEV_NETWORK: {
    status: 503,
    retryable: true,
    doc: "`wavs dev` could not bring up a part of the local network (anvil, a contract, an operator node); the message names the part and its log.",
  },
  WAVS_ERR_DEV_BUSY: {
    status: 409,
    retryable: false,
    doc: "`wavs dev` found a port in use or another dev network running from the same directory.",
  },
  WAVS_ERR_DEV_DEMO_FAILED: {
    status: 504,
    retryable: true,
    doc: "`wavs dev --demo` fired its trigger but the result did not land on-chain in time; the message says what the operators reported.",
  },
} as const satisfies Record<string, { status: number; retryable: boolean; doc: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
