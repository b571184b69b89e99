/** Credentials written into a URL (`https://user:pass@host`), moved where HTTP expects them. */

/**
 * `url` without its user info, and the Basic `authorization` header value it meant (fetch
 * refuses URLs that carry credentials). No header when the URL has none.
 */
export function splitCredentials(url: string): { url: string; authorization?: string } {
  const target = new URL(url);
  if (target.username === "" && target.password === "") return { url: target.toString() };
  const user = decodeURIComponent(target.username);
  const pass = decodeURIComponent(target.password);
  target.username = "";
  target.password = "";
  return {
    url: target.toString(),
    authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`,
  };
}
