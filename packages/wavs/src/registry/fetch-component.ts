/** Downloading a component named by `{download: {uri, digest}}` and verifying its digest. */
import { redactUrl } from "../config/index.js";
import { WavsError } from "../internal/index.js";
import { componentDigest } from "../service/index.js";
import { fetchBytes } from "./fetch-bytes.js";

/**
 * Largest component downloaded. Above the 15 MB API body limit on purpose: componentize-js
 * output alone is about 15 MB.
 */
export const MAX_COMPONENT_BYTES = 64 * 1024 * 1024;

/** Limits of `fetchComponent`. */
export interface FetchComponentOptions {
  ipfsGateway: string;
  timeoutMs: number;
  maxBytes?: number;
  /** Which component this is, for messages: `workflow 'w1' component`. */
  what: string;
  signal?: AbortSignal | undefined;
}

/**
 * Download a component and check that its sha256 is `digest`; a mismatch is refused with
 * WAVS_ERR_COMPONENT_DIGEST_MISMATCH and the bytes are dropped.
 */
export async function fetchComponent(
  source: { uri: string; digest: string },
  options: FetchComponentOptions,
): Promise<Uint8Array> {
  const bytes = await fetchBytes(source.uri, {
    ipfsGateway: options.ipfsGateway,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes ?? MAX_COMPONENT_BYTES,
    what: options.what,
    unreachableCode: "WAVS_ERR_COMPONENT_UNREACHABLE",
    tooLargeCode: "WAVS_ERR_COMPONENT_INVALID",
    signal: options.signal,
  });
  const found = componentDigest(bytes);
  if (found !== source.digest) {
    const uri = redactUrl(source.uri);
    throw new WavsError(
      "WAVS_ERR_COMPONENT_DIGEST_MISMATCH",
      `${options.what}: the bytes at ${uri} have digest ${found}, but the service names ${source.digest}`,
      {
        details: { uri, expected: source.digest, found, size: bytes.length },
        hint: "The file at that URI is not the component the service was published with; the service's owner must fix the URI or the digest.",
      },
    );
  }
  return bytes;
}
