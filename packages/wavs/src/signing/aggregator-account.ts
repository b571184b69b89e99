/**
 * The account that pays for result transactions: `aggregator_evm_credential`, a 0x private key
 * or a mnemonic (its account m/44'/60'/0'/0/0). Kept apart from the signing keys on purpose: an
 * operator can fund this account without exposing the keys the service manager trusts.
 */
import { signTransactionWithKey } from "@wavs-ts/contracts";
import { bytesToHex, type Hex, type LocalAccount } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { WavsError } from "../internal/index.js";

/**
 * The sending account of a credential, or undefined when none is configured. Its transactions
 * are signed with libsecp256k1 (the same bytes viem would produce, faster).
 */
export function aggregatorAccount(credential: string | undefined): LocalAccount | undefined {
  if (credential === undefined) return undefined;
  // the config schema already checked and normalised the credential
  const key = credential.startsWith("0x") ? (credential as Hex) : mnemonicKey(credential);
  const account = privateKeyToAccount(key);
  const signTransaction: LocalAccount["signTransaction"] = (transaction, options) =>
    options?.serializer === undefined
      ? signTransactionWithKey(key, transaction)
      : account.signTransaction(transaction, options);
  return { ...account, signTransaction };
}

/** The private key of a mnemonic's first account. */
function mnemonicKey(mnemonic: string): Hex {
  const privateKey = mnemonicToAccount(mnemonic, { addressIndex: 0 }).getHdKey().privateKey;
  if (privateKey === null) {
    throw new WavsError("WAVS_ERR_INTERNAL", "the mnemonic gave no private key");
  }
  return bytesToHex(privateKey);
}
