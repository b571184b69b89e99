/** The component of a bench service: an uploaded digest, no limits of its own, no config. */
export function uploadedComponent(digest: string) {
  return {
    source: { type: "digest" as const, digest },
    permissions: {},
    fuel_limit: null,
    time_limit_seconds: null,
    config: new Map<string, string>(),
    env_keys: [],
  };
}
