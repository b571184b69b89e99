/**
 * What a failed chain call means. viem wraps a node's answer in layers of errors; these read
 * them once, for every caller: a short line for logs, the decoded revert, whether the node
 * answered at all, and what a refused broadcast means.
 */
import { decodeRevert } from "@wavs-ts/contracts";
import { errorMessage } from "../internal/index.js";

/** What a refused broadcast means for the sender. */
export type SendErrorKind = "funds" | "nonce" | "known" | "other";

/** The first line of an error message (viem appends request details after it). */
export function errorLine(err: unknown): string {
  const message = errorMessage(err);
  return message.split("\n")[0] ?? message;
}

/** A readable reason for a revert: the decoded custom error, or the message. */
export function revertReason(err: unknown): string {
  const decoded = decodeRevert(err);
  if (decoded) {
    const args = decoded.args.map((a) => (typeof a === "bigint" ? a.toString() : String(a)));
    return `${decoded.errorName}(${args.join(", ")})`;
  }
  return errorLine(err);
}

/** Every message of an error and its causes, for classification. */
function errorText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 8 && e; i++) {
    const o = e as {
      message?: unknown;
      details?: unknown;
      shortMessage?: unknown;
      cause?: unknown;
    };
    for (const v of [o.shortMessage, o.details, o.message])
      if (typeof v === "string") parts.push(v);
    e = o.cause;
  }
  return parts.join(" | ");
}

/** Whether a JSON-RPC node answered the request with an error (as opposed to no answer). */
export function answeredByNode(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 8 && e; i++) {
    const name = (e as { name?: unknown }).name;
    if (name === "HttpRequestError" || name === "TimeoutError" || name === "WebSocketRequestError")
      return false;
    if (name === "RpcRequestError" || typeof (e as { code?: unknown }).code === "number")
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The node's own words for a failed call (viem's `details`), else the first message line. */
export function nodeReason(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 8 && e; i++) {
    const details = (e as { details?: unknown }).details;
    if (typeof details === "string" && details !== "") return details;
    e = (e as { cause?: unknown }).cause;
  }
  return errorLine(err);
}

/**
 * What a broadcast error means. Nodes share no codes for these, so this is the one place that
 * reads message text (geth, reth, anvil, erigon wordings).
 */
export function classifySendError(err: unknown): SendErrorKind {
  const text = errorText(err);
  if (/insufficient funds|insufficient balance|balance too low/i.test(text)) return "funds";
  if (/already known|known transaction|already imported/i.test(text)) return "known";
  if (
    /nonce too (low|high)|invalid nonce|nonce.*(lower|higher)|replacement (transaction )?underpriced|underpriced/i.test(
      text,
    )
  ) {
    return "nonce";
  }
  return "other";
}

/** Whether an error is an execution revert (as opposed to a transport or funds problem). */
export function isRevert(err: unknown): boolean {
  return /revert|execution reverted/i.test(errorText(err)) || revertReason(err) !== errorLine(err);
}
