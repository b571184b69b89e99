/**
 * The one place where anything thrown while answering a request becomes an HTTP status and a
 * JSON body `{"error": {"code", "message", "hint"?}}`. The status comes from the error code
 * (internal/error-codes.ts); real bugs become a generic 500 and are only logged.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { redactUrlsInText } from "../config/index.js";
import type { ErrorCode, Logger, Vocabulary } from "../internal/index.js";
import { expectedFound, expectedType, problemsError, WavsError } from "../internal/index.js";
import type { Metrics } from "../metrics/index.js";
import { describeValue, type ValidationProblem } from "../service/index.js";
import { WWW_AUTHENTICATE } from "./auth.js";

/** Body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; hint?: string };
}

/** The JSON body for `err`. Messages and hints never carry details, and URLs lose credentials. */
export function errorBody(err: WavsError): ErrorBody {
  return {
    error: {
      code: err.code,
      message: redactUrlsInText(err.message),
      ...(err.hint === undefined ? {} : { hint: redactUrlsInText(err.hint) }),
    },
  };
}

/** JSON schema of `ErrorBody`, for the OpenAPI document. */
export const errorBodySchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "Stable WAVS_ERR_* code (docs/errors.md)." },
        message: { type: "string" },
        hint: { type: "string" },
      },
    },
  },
} as const;

/** Join a field name and a path below it: `data` + `raw` -> `data.raw`, `x` + `[0]` -> `x[0]`. */
export function joinPath(field: string, path: string): string {
  if (field === "") return path;
  if (path === "") return field;
  return path.startsWith("[") ? `${field}${path}` : `${field}.${path}`;
}

/**
 * Run a parser of a request part and, when it fails with a validation error, name the fields
 * from the request body's root: `evm.address: ...` becomes `service_manager.evm.address: ...`.
 */
export function atField<T>(field: string | ((path: string) => string), parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw rebaseValidationError(err, typeof field === "string" ? (p) => joinPath(field, p) : field);
  }
}

function rebaseValidationError(err: unknown, mapPath: (path: string) => string): unknown {
  if (!(err instanceof WavsError)) return err;
  const problems = err.details?.problems;
  if (!Array.isArray(problems) || problems.length === 0) return err;
  const rebased = (problems as ValidationProblem[]).map((p) => ({
    path: mapPath(p.path),
    message: p.message,
  }));
  return problemsError(
    err.code,
    rebased.map((p) => ({ where: p.path, message: p.message })),
    {
      details: { ...err.details, path: rebased[0]!.path, problems: rebased },
      hint: err.hint,
      cause: err,
    },
  );
}

/** Where a fastify validation error was found, as we name it in messages. */
const PART_NAMES: Record<string, string> = {
  body: "request body",
  querystring: "query parameter",
  params: "path parameter",
  headers: "header",
};

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
  parentSchema?: { description?: string };
}

/** How request parts are named in messages (JSON's words; JSON schema's type names). */
const REQUEST_WORDS: Vocabulary = {
  describe: describeValue,
  types: {
    object: "a JSON object",
    array: "an array",
    string: "a string",
    integer: "an integer",
    number: "a number",
    boolean: "true or false",
  },
};

/** `/service_managers/0/evm` -> `service_managers[0].evm`. */
function pointerToPath(pointer: string): string {
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (/^[0-9]+$/.test(segment)) out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** A 400 naming the field from the first JSON-schema problem fastify found. */
export function schemaValidationError(
  errors: readonly AjvError[],
  part: string | undefined,
): WavsError {
  const e = errors[0];
  const partName = PART_NAMES[part ?? "body"] ?? part ?? "request";
  if (e === undefined) return new WavsError("WAVS_ERR_INPUT_INVALID", `${partName} is invalid`);
  let field = pointerToPath(e.instancePath);
  let message: string;
  switch (e.keyword) {
    case "required":
      field = joinPath(field, String(e.params.missingProperty));
      message = "missing (required)";
      break;
    case "additionalProperties":
      field = joinPath(field, String(e.params.additionalProperty));
      message = "unknown field";
      break;
    case "type": {
      const expected = expectedType(REQUEST_WORDS, String(e.params.type));
      // fastify hands a request without a body to the validator as null (or undefined).
      const found = e.data == null && field === "" ? undefined : e.data;
      message = expectedFound(found, expected, REQUEST_WORDS.describe);
      break;
    }
    case "pattern":
      message = `${describeValue(e.data)} is not ${e.parentSchema?.description ?? `matching ${String(e.params.pattern)}`}`;
      break;
    default:
      message = `${describeValue(e.data)} ${e.message ?? "is invalid"}`;
  }
  // Body fields are named from the body's root (as in the docs); other parts say which part.
  const where =
    field === ""
      ? partName
      : part === "body" || part === undefined
        ? field
        : `${partName} ${field}`;
  return new WavsError("WAVS_ERR_INPUT_INVALID", `${where}: ${message}`, {
    details: { part: part ?? "body", path: field },
    hint: "See GET /openapi.json or docs/http-api.md for the request shape.",
  });
}

/** How loudly a refused request is logged: bugs as errors, upstream failures as warnings. */
export type HttpErrorLogLevel = "error" | "warn" | "debug";

/** Turn what fastify or a handler threw into a WavsError, and say how loudly to log it. */
export function toHttpError(
  err: unknown,
  context: { bodyLimitMb: number; requestId: string },
): { error: WavsError; logLevel: HttpErrorLogLevel } {
  if (err instanceof WavsError) {
    // Even a deliberate WAVS_ERR_INTERNAL may quote internals, so its text stays in the log.
    if (err.code === "WAVS_ERR_INTERNAL") {
      return { error: internalError(context.requestId), logLevel: "error" };
    }
    const status = err.httpStatus;
    return { error: err, logLevel: status === 500 ? "error" : status > 500 ? "warn" : "debug" };
  }
  const fe = err as Partial<FastifyError> | undefined;
  if (fe?.validation !== undefined) {
    return {
      error: schemaValidationError(fe.validation as AjvError[], fe.validationContext),
      logLevel: "debug",
    };
  }
  const status = typeof fe?.statusCode === "number" ? fe.statusCode : 500;
  if (status === 413) {
    return {
      error: new WavsError(
        "WAVS_ERR_HTTP_BODY_TOO_LARGE",
        `request body is larger than the limit of ${context.bodyLimitMb} MB`,
        { hint: "Raise max_body_size_mb in wavs.toml if this body is legitimate." },
      ),
      logLevel: "debug",
    };
  }
  if (status === 415) {
    return {
      error: new WavsError(
        "WAVS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE",
        "unsupported Content-Type for this route",
        { hint: "Send JSON as application/json; component bytes as application/wasm." },
      ),
      logLevel: "debug",
    };
  }
  if (status >= 400 && status < 500) {
    // fastify's own client errors (bad JSON, bad Content-Length, ...) carry fixed, safe messages.
    const message = fe?.message ?? "bad request";
    return { error: new WavsError("WAVS_ERR_INPUT_INVALID", message), logLevel: "debug" };
  }
  return { error: internalError(context.requestId), logLevel: "error" };
}

/** Whether a refused body is small enough to read and discard: declared, at most twice the limit. */
function drainable(request: FastifyRequest, limit: number): boolean {
  const declared = Number(request.headers["content-length"]);
  return Number.isSafeInteger(declared) && declared <= 2 * limit;
}

function internalError(requestId: string): WavsError {
  return new WavsError(
    "WAVS_ERR_INTERNAL",
    `internal error while handling the request (request id ${requestId})`,
    { hint: "This is a bug in WAVS-TS; the node log has the details under this request id." },
  );
}

/** Install the error and not-found handlers on the root instance (before any route). */
export function installErrorHandlers(
  app: FastifyInstance,
  deps: { logger: Logger; metrics: Metrics; bodyLimitMb: number; devEndpointsEnabled: boolean },
): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    // a route may set its own limit (component uploads are larger than JSON bodies)
    const routeLimit = request.routeOptions.bodyLimit;
    const { error, logLevel } = toHttpError(err, {
      bodyLimitMb: routeLimit === undefined ? deps.bodyLimitMb : routeLimit / (1024 * 1024),
      requestId: request.id,
    });
    const fields = {
      reqId: request.id,
      method: request.method,
      route: request.routeOptions.url,
      code: error.code,
    };
    if (logLevel === "error") {
      deps.metrics.error(error.code);
      deps.logger.error({ ...fields, err }, "request failed with an internal error");
    } else {
      deps.logger[logLevel]({ ...fields, error: error.message }, "request refused");
    }
    // RFC 6750: every 401 carries the challenge, whoever raised it.
    if (error.httpStatus === 401) reply.header("www-authenticate", WWW_AUTHENTICATE);
    if (
      error.code === "WAVS_ERR_HTTP_BODY_TOO_LARGE" &&
      drainable(request, routeLimit ?? deps.bodyLimitMb * 1024 * 1024)
    ) {
      // fastify closes the connection after a refused body, and a client still writing it
      // then fails with EPIPE before reading our answer; a declared body of moderate size is
      // read and discarded instead (Node does that once the answer is sent), so the client
      // gets its 413 and the connection stays usable
      reply.removeHeader("connection");
    }
    return reply.code(error.httpStatus).type("application/json").send(errorBody(error));
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?")[0] ?? request.url;
    const devHint =
      !deps.devEndpointsEnabled && path.startsWith("/dev/")
        ? "Dev endpoints are disabled; set dev_endpoints_enabled = true to enable them."
        : "See GET /openapi.json or docs/http-api.md for the routes.";
    const error = new WavsError("WAVS_ERR_HTTP_NOT_FOUND", `no route ${request.method} ${path}`, {
      hint: devHint,
    });
    return reply.code(404).type("application/json").send(errorBody(error));
  });
}
