/**
 * Credentials out of URLs and of texts that quote them: RPC endpoints and gateways carry API
 * keys in their user info, query or path. Used by config redaction, logs and error messages.
 */
/** What every secret is replaced with. */
export const REDACTED = "[redacted]";

// Query parameters that carry credentials in RPC and gateway URLs.
const SECRET_PARAM_RE =
  /^(api[-_]?key|apikey|key|token|access[-_]?token|auth|authorization|secret|password|pass|pwd|x-api-key|jwt)$/i;

// A path segment that looks like a provider key (Infura's 32 hex digits, Alchemy's keys):
// long, and mixing letters and digits, so ordinary words such as "ipfs" survive.
function looksLikeKey(segment: string): boolean {
  return (
    segment.length >= 24 &&
    /^[A-Za-z0-9_-]+$/.test(segment) &&
    /[0-9]/.test(segment) &&
    /[A-Za-z]/.test(segment)
  );
}

/**
 * `url` with embedded credentials replaced: user and password, secret query parameters and
 * key-like path segments. A string that is not a URL is returned unchanged.
 */
export function redactUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (match === null || !URL.canParse(url)) return url;
  const [, scheme = "", authority = "", path = "", query, fragment = ""] = match;
  // Edit the text rather than re-serializing a URL object, so the rest stays as written.
  const at = authority.lastIndexOf("@");
  const host = at < 0 ? authority : `${REDACTED}@${authority.slice(at + 1)}`;
  const safePath = path
    .split("/")
    .map((segment) => (looksLikeKey(segment) ? REDACTED : segment))
    .join("/");
  const safeQuery =
    query === undefined
      ? ""
      : `?${query
          .slice(1)
          .split("&")
          .map((pair) => {
            const eq = pair.indexOf("=");
            const name = decodeURIComponentSafe(eq < 0 ? pair : pair.slice(0, eq));
            return eq >= 0 && SECRET_PARAM_RE.test(name)
              ? `${pair.slice(0, eq)}=${REDACTED}`
              : pair;
          })
          .join("&")}`;
  return `${scheme}${host}${safePath}${safeQuery}${fragment}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `text` with every URL in it passed through `redactUrl` (for messages that quote input). */
export function redactUrlsInText(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi, (url) => redactUrl(url));
}
