/**
 * Errors raised below the routes, in our JSON shape like every other answer: a URL that is not
 * percent-encoded or a path parameter past its length (fastify's `frameworkErrors`), and what
 * Node's HTTP parser refuses before fastify sees a request (`clientError`): oversized headers,
 * malformed request lines, smuggling-shaped headers, slow clients. Nothing of the offending
 * input is echoed back: only what was wrong.
 */
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "../internal/index.js";
import { WavsError } from "../internal/index.js";
import { errorBody } from "./errors.js";

/** Why Node's HTTP parser refused a request, in words, by its error code. */
const PARSER_REASONS: Record<string, string> = {
  HPE_UNEXPECTED_CONTENT_LENGTH:
    "the request has both Content-Length and Transfer-Encoding (a request smuggling shape)",
  HPE_INVALID_TRANSFER_ENCODING: "the request's Transfer-Encoding is not valid",
  HPE_INVALID_CONTENT_LENGTH: "the request's Content-Length is not valid",
  HPE_INVALID_METHOD: "the request line has an unknown method",
  HPE_INVALID_URL: "the request line's URL is not valid",
  HPE_INVALID_CONSTANT: "the request line is not valid HTTP/1.1",
  HPE_INVALID_VERSION: "the request's HTTP version is not valid",
  HPE_INVALID_HEADER_TOKEN: "a request header is malformed",
  HPE_LF_EXPECTED: "a request line or header is not terminated by CRLF",
  HPE_CR_EXPECTED: "a request line or header is not terminated by CRLF",
  HPE_INVALID_CHUNK_SIZE: "a chunk size of the request body is not valid",
};

/** The error for what Node's HTTP parser refused. */
export function clientErrorOf(err: { code?: unknown }): WavsError {
  const code = typeof err.code === "string" ? err.code : "";
  if (code === "HPE_HEADER_OVERFLOW") {
    return new WavsError(
      "WAVS_ERR_HTTP_HEADERS_TOO_LARGE",
      "the request's headers are larger than the server accepts",
      { hint: "Send fewer or shorter headers (at most 16 KiB in all)." },
    );
  }
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") {
    return new WavsError("WAVS_ERR_HTTP_REQUEST_TIMEOUT", "the request did not arrive in time", {
      hint: "Send the whole request promptly; the connection was closed.",
    });
  }
  return new WavsError(
    "WAVS_ERR_HTTP_MALFORMED_REQUEST",
    PARSER_REASONS[code] ?? "the request is not valid HTTP/1.1",
    { hint: "Send a well-formed HTTP/1.1 request; the connection was closed." },
  );
}

/** fastify's `clientErrorHandler`: answer in our shape on the raw socket, then close it. */
export function clientErrorHandler(logger: Logger) {
  return (err: Error & { code?: string }, socket: Socket): void => {
    // a reset connection has nobody to answer
    if (err.code === "ECONNRESET" || socket.destroyed) return;
    const error = clientErrorOf(err);
    logger.debug({ code: error.code, parser: err.code }, "request refused by the HTTP parser");
    if (socket.writable) {
      const body = JSON.stringify(errorBody(error));
      const status = error.httpStatus;
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

/** fastify's `frameworkErrors`: a URL that is not percent-encoded, a parameter too long. */
export function frameworkErrorHandler(logger: Logger) {
  return (err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    let error: WavsError;
    if (err.code === "FST_ERR_BAD_URL") {
      error = new WavsError(
        "WAVS_ERR_HTTP_MALFORMED_REQUEST",
        "the URL is not valid: a % is not followed by two hex digits",
        { hint: "Percent-encode the path (e.g. %25 for a literal %)." },
      );
    } else if (err.code === "FST_ERR_MAX_PARAM_LENGTH") {
      error = new WavsError(
        "WAVS_ERR_HTTP_URI_TOO_LONG",
        "a path parameter of the URL is longer than any the API takes",
        { hint: "See GET /openapi.json for the routes and their parameters." },
      );
    } else {
      error = new WavsError("WAVS_ERR_HTTP_MALFORMED_REQUEST", "the request cannot be routed");
    }
    logger.debug({ code: error.code, fastify: err.code }, "request refused before routing");
    void reply.code(error.httpStatus).type("application/json").send(errorBody(error));
  };
}
