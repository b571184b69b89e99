/** The ports of a dev network: fixed ones checked up front with a clear error, or free ones. */
import { createServer } from "node:net";
import { WavsError } from "../internal/index.js";

/** Listen on 127.0.0.1:`port` (0: any free port) and give the bound port back. */
function probe(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * `count` consecutive ports from `base` (each checked free), or `count` free ports when `base`
 * is 0, none of them in `taken` (ports picked already for something else: a probed port is
 * free again once probed, so the OS may hand it out twice). `flag` names the option to change
 * in the error.
 */
export async function pickPorts(
  base: number,
  count: number,
  flag: string,
  taken: readonly number[] = [],
): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const wanted = base === 0 ? 0 : base + i;
    try {
      let port = await probe(wanted);
      // a free port the OS picked twice would collide: pick again
      while (ports.includes(port) || (base === 0 && taken.includes(port))) port = await probe(0);
      ports.push(port);
    } catch (err) {
      throw new WavsError("WAVS_ERR_DEV_BUSY", `port ${wanted} on 127.0.0.1 is in use`, {
        hint: `stop what listens there, or pass ${flag} <another port> (0 picks free ports)`,
        cause: err,
      });
    }
  }
  return ports;
}
