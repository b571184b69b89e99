/**
 * The account that pays for result transactions: `aggregator_evm_credential`, a 0x private key
 * or a mnemonic (its account m/44'/60'/0'/0/0). Kept apart from the signing keys on purpose: an
 * operator can fund this account without exposing the keys the service manager trusts.
 */
import type { Hex, LocalAccount } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

/** The sending account of a credential, or undefined when none is configured. */
export function aggregatorAccount(credential: string | undefined): LocalAccount | undefined {
  if (credential === undefined) return undefined;
  // the config schema already checked and normalised the credential
  return credential.startsWith("0x")
    ? privateKeyToAccount(credential as Hex)
    : mnemonicToAccount(credential, { addressIndex: 0 });
}
