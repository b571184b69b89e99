import { errorMessage } from "@wavs-ts/errors";
/**
 * Why an outgoing HTTP request failed, as the wasi:http `error-code` a component receives:
 * a refused connection is `connection-refused`, not an internal error with "fetch failed" in
 * it, so a component (WAVS's Rust ones included) can tell a down server from a DNS failure,
 * a timeout or a bad certificate. Computed on the main thread from Node's error (its `code`,
 * or the `code` of a cause), in the form jco hands to a component (`{tag, val}`).
 */

/** A wasi:http `error-code` value as jco lifts and lowers it. */
export type HttpErrorCode =
  | { tag: "DNS-timeout" }
  | { tag: "DNS-error"; val: { rcode: string | undefined; infoCode: number | undefined } }
  | { tag: "destination-not-found" }
  | { tag: "destination-unavailable" }
  | { tag: "destination-IP-unroutable" }
  | { tag: "connection-refused" }
  | { tag: "connection-terminated" }
  | { tag: "connection-timeout" }
  | { tag: "connection-read-timeout" }
  | { tag: "TLS-protocol-error" }
  | { tag: "TLS-certificate-error" }
  | {
      tag: "TLS-alert-received";
      val: { alertId: number | undefined; alertMessage: string | undefined };
    }
  | { tag: "HTTP-request-denied" }
  | { tag: "HTTP-request-URI-invalid" }
  | { tag: "HTTP-response-body-size"; val: bigint | undefined }
  | { tag: "HTTP-response-timeout" }
  | { tag: "HTTP-protocol-error" }
  | { tag: "loop-detected" }
  | { tag: "internal-error"; val: string | undefined };

/**
 * A failure the host itself decided (policy, limits), with its WIT error code. Not a WavsError:
 * it never leaves the engine, it becomes the `error-code` variant the component receives.
 */
export class HttpHostError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "HttpHostError";
  }
}

const CERTIFICATE_CODES = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
]);

/** The string values of `field` along an error and its causes, outermost first. */
function alongCauses(err: unknown, field: "code" | "name"): string[] {
  const values: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 8 && e && typeof e === "object"; i++) {
    const value = (e as Record<string, unknown>)[field];
    if (typeof value === "string") values.push(value);
    e = (e as { cause?: unknown }).cause;
  }
  return values;
}

/** The innermost message of an error chain (Node's own words, not fetch's "fetch failed"). */
export function innermostMessage(err: unknown): string {
  let e: unknown = err;
  let message = errorMessage(err);
  for (let i = 0; i < 8 && e && typeof e === "object"; i++) {
    const m = (e as { message?: unknown }).message;
    if (typeof m === "string" && m !== "") message = m;
    e = (e as { cause?: unknown }).cause;
  }
  return message;
}

/** The wasi:http error code of a failed request. */
export function httpErrorCode(err: unknown): HttpErrorCode {
  if (err instanceof HttpHostError) return err.code;
  const codes = alongCauses(err, "code");
  for (const code of codes) {
    switch (code) {
      case "ECONNREFUSED":
        return { tag: "connection-refused" };
      case "ECONNRESET":
      case "EPIPE":
      case "UND_ERR_SOCKET":
      case "UND_ERR_CLOSED":
        return { tag: "connection-terminated" };
      case "ENOTFOUND":
      case "EAI_NONAME":
      case "EAI_NODATA":
      case "EAI_FAIL":
      case "EAI_AGAIN":
        return { tag: "DNS-error", val: { rcode: code, infoCode: undefined } };
      case "ETIMEDOUT":
      case "UND_ERR_CONNECT_TIMEOUT":
        return { tag: "connection-timeout" };
      case "UND_ERR_HEADERS_TIMEOUT":
      case "UND_ERR_BODY_TIMEOUT":
        return { tag: "connection-read-timeout" };
      case "EHOSTUNREACH":
      case "ENETUNREACH":
      case "EHOSTDOWN":
        return { tag: "destination-unavailable" };
      case "EADDRNOTAVAIL":
        return { tag: "destination-IP-unroutable" };
      case "HPE_INVALID_CONSTANT":
      case "UND_ERR_INFO":
        return { tag: "HTTP-protocol-error" };
    }
    if (CERTIFICATE_CODES.has(code) || code.startsWith("CERT_"))
      return { tag: "TLS-certificate-error" };
    if (/^ERR_SSL_(TLSV1|SSLV3)_ALERT_/.test(code)) {
      return {
        tag: "TLS-alert-received",
        val: { alertId: undefined, alertMessage: innermostMessage(err) },
      };
    }
    if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_"))
      return { tag: "TLS-protocol-error" };
  }
  // the request's own deadline (AbortSignal.timeout) ran out before a response came
  if (alongCauses(err, "name").includes("TimeoutError")) return { tag: "HTTP-response-timeout" };
  return { tag: "internal-error", val: innermostMessage(err) };
}
