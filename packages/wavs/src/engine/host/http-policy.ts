import type { HttpPolicy } from "../exec-types.js";

/** Whether `url` may be requested under `policy` ("only" matches host or host:port). */
export function httpAllowed(policy: HttpPolicy, url: URL): boolean {
  if (policy.kind === "all") return true;
  if (policy.kind === "none") return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return policy.hosts.some((entry) => {
    const e = entry.toLowerCase();
    return e === host || e === `${host}:${port}` || e === `[${host}]:${port}`;
  });
}
