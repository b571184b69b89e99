/** The nodes a page shows: this one, and the operators named in its `dashboard_peers`. */
import { NodeClient, self } from "./api.js";
import type { Info } from "./types.js";

/** This node first, then its peers in the order configured. */
export function networkOf(info: Info | undefined): NodeClient[] {
  const peers = (info?.dashboard_peers ?? []).map(
    (url) => new NodeClient(url.replace(/\/+$/, ""), url),
  );
  return [self, ...peers];
}

/** Call `load` on every node; a node that fails gives its error instead of stopping the rest. */
export async function fromEach<T>(
  nodes: NodeClient[],
  load: (node: NodeClient) => Promise<T>,
): Promise<{ node: NodeClient; value?: T; error?: Error }[]> {
  return Promise.all(
    nodes.map(async (node) => {
      try {
        return { node, value: await load(node) };
      } catch (error) {
        return { node, error: error as Error };
      }
    }),
  );
}
