/**
 * Per-service signing keys: BIP-44 accounts m/44'/60'/0'/0/i of the operator's mnemonic.
 * Index 0 is the operator's own key; services get 1, 2, ... (see store/key-store.ts).
 */
import { inspect } from "node:util";
import type { Address } from "viem";
import { type HDAccount, mnemonicToAccount } from "viem/accounts";
import { mnemonicProblem, normalizeMnemonic } from "../config/index.js";
import { WavsError } from "../internal/index.js";

/** The operator's own key. */
export const OPERATOR_HD_INDEX = 0;

// Non-hardened BIP-32 child indexes stop at 2^31 - 1.
const MAX_HD_INDEX = 0x7fff_ffff;

/** The derivation path of an index: `m/44'/60'/0'/0/<index>`. */
export function hdPath(index: number): string {
  return `m/44'/60'/0'/0/${index}`;
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_HD_INDEX) {
    throw new WavsError(
      "WAVS_ERR_INTERNAL",
      `HD index ${index} is not an integer from 0 to 2^31-1`,
    );
  }
}

/** The account at m/44'/60'/0'/0/<index> of a mnemonic. */
export function deriveAccount(mnemonic: string, index: number): HDAccount {
  checkIndex(index);
  return mnemonicToAccount(mnemonic, { addressIndex: index });
}

/**
 * The keys of one mnemonic, derived on first use and cached (a derivation runs PBKDF2, too slow
 * for every signature). The mnemonic sits in a private field: it is not enumerable, so it never
 * reaches JSON, logs or `util.inspect`.
 */
export class HdKeys {
  readonly #mnemonic: string;
  readonly #accounts = new Map<number, HDAccount>();

  /** Checks the mnemonic (word list, checksum); the error never quotes it. */
  constructor(mnemonic: string) {
    const problem = mnemonicProblem(mnemonic);
    if (problem !== undefined) {
      throw new WavsError(
        "WAVS_ERR_CONFIG_INVALID",
        `signing_mnemonic is not a valid BIP-39 mnemonic: it ${problem}`,
        {
          hint: "Set signing_mnemonic (or WAVS_SIGNING_MNEMONIC) to a 12 to 24 word BIP-39 phrase.",
        },
      );
    }
    this.#mnemonic = normalizeMnemonic(mnemonic);
  }

  /** The account at m/44'/60'/0'/0/<index>. */
  account(index: number): HDAccount {
    let account = this.#accounts.get(index);
    if (account === undefined) {
      account = deriveAccount(this.#mnemonic, index);
      this.#accounts.set(index, account);
    }
    return account;
  }

  /** The checksummed address at m/44'/60'/0'/0/<index>. */
  address(index: number): Address {
    return this.account(index).address;
  }

  /** What JSON.stringify shows: never the mnemonic. */
  toJSON(): string {
    return "HdKeys([redacted])";
  }

  [inspect.custom](): string {
    return "HdKeys([redacted])";
  }
}
