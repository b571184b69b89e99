/** Fetching a service definition from its URI (http, https, ipfs via gateway) and parsing it. */
import { redactUrl } from "../config/index.js";
import { errorMessage, WavsError } from "../internal/index.js";
import { jsonNestingDepth, MAX_JSON_DEPTH, parseService, type Service } from "../service/index.js";
import { fetchBytes, resolveUri } from "./fetch-bytes.js";

/** Largest service JSON accepted: the reference's HTTP body limit. */
export const MAX_SERVICE_JSON_BYTES = 15 * 1024 * 1024;

/** Limits of `fetchServiceJson`. */
export interface FetchServiceJsonOptions {
  ipfsGateway: string;
  timeoutMs: number;
  maxBytes?: number;
  signal?: AbortSignal | undefined;
}

/** Throws WAVS_ERR_SERVICE_URI_INVALID unless `uri` is http://, https:// or ipfs://<cid>/... */
export function checkServiceUri(uri: string, ipfsGateway: string): void {
  if (resolveUri(uri, ipfsGateway) !== undefined) return;
  throw new WavsError(
    "WAVS_ERR_SERVICE_URI_INVALID",
    uri === ""
      ? "the service manager has no service URI set"
      : `service URI ${redactUrl(uri).slice(0, 200)} is not an http://, https:// or ipfs:// URI`,
    {
      details: { uri: redactUrl(uri) },
      hint: "The service's owner sets it with setServiceURI on the service manager.",
    },
  );
}

/**
 * Download the service JSON at `uri` and validate it. Unreachable or non-2xx: 502
 * (WAVS_ERR_SERVICE_URI_UNREACHABLE); not JSON, too large, or not a service: 400
 * (WAVS_ERR_SERVICE_INVALID, naming the field).
 */
export async function fetchServiceJson(
  uri: string,
  options: FetchServiceJsonOptions,
): Promise<Service> {
  checkServiceUri(uri, options.ipfsGateway);
  const bytes = await fetchBytes(uri, {
    ipfsGateway: options.ipfsGateway,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes ?? MAX_SERVICE_JSON_BYTES,
    what: "service JSON",
    unreachableCode: "WAVS_ERR_SERVICE_URI_UNREACHABLE",
    tooLargeCode: "WAVS_ERR_SERVICE_INVALID",
    signal: options.signal,
  });
  const shown = redactUrl(uri);
  let json: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (jsonNestingDepth(text) > MAX_JSON_DEPTH) {
      throw new WavsError(
        "WAVS_ERR_SERVICE_INVALID",
        `service JSON at ${shown} nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
        {
          details: { uri: shown, max_depth: MAX_JSON_DEPTH },
          hint: "A service JSON nests about ten levels; this document is not one.",
        },
      );
    }
    json = JSON.parse(text);
  } catch (err) {
    if (err instanceof WavsError) throw err;
    throw new WavsError(
      "WAVS_ERR_SERVICE_INVALID",
      `service JSON at ${shown} is not JSON: ${errorMessage(err)}`,
      { details: { uri: shown }, cause: err },
    );
  }
  try {
    return parseService(json);
  } catch (err) {
    // Keep the message naming the field; add where the JSON came from.
    if (!(err instanceof WavsError)) throw err;
    throw new WavsError(err.code, err.message, {
      details: { ...err.details, uri: shown },
      hint: err.hint,
      cause: err,
    });
  }
}
