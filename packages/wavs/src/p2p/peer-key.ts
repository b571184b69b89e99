/**
 * The node's libp2p identity key, kept in the data directory so the peer id (which other
 * operators put in their bootstrap lists) survives restarts.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from "@libp2p/crypto/keys";
import type { PrivateKey } from "@libp2p/interface";
import { WavsError } from "../internal/index.js";

/** Load the key at `path`, or create an Ed25519 key there (mode 0600) when there is none. */
export async function loadOrCreatePeerKey(path: string): Promise<PrivateKey> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new WavsError(
        "WAVS_ERR_P2P_KEY_INVALID",
        `cannot read the p2p key file: ${String(err)}`,
        {
          details: { path },
          cause: err,
        },
      );
    }
  }
  if (bytes !== undefined) {
    try {
      return privateKeyFromProtobuf(new Uint8Array(bytes));
    } catch (err) {
      throw new WavsError(
        "WAVS_ERR_P2P_KEY_INVALID",
        "the p2p key file is not a libp2p private key",
        {
          details: { path },
          hint: "Restore the file from a backup, or delete it to get a new peer id (other operators must then update their bootstrap_nodes).",
          cause: err,
        },
      );
    }
  }
  const key = await generateKeyPair("Ed25519");
  await mkdir(dirname(path), { recursive: true });
  // Write then rename so a crash never leaves a half-written key behind.
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, privateKeyToProtobuf(key), { mode: 0o600 });
  await rename(tmp, path);
  return key;
}
