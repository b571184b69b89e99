/**
 * BIP-39 mnemonic checks (word count, English word list, checksum: @scure/bip39), each with its
 * own reason. A mistyped word that is still in the list would otherwise derive a different key
 * without any error, so the checksum is verified too. Messages never repeat the words: they
 * are secret.
 */
import { validateMnemonic } from "@scure/bip39";
import { wordlist as english } from "@scure/bip39/wordlists/english";

const WORD_COUNTS = [12, 15, 18, 21, 24];
const WORDS: ReadonlySet<string> = new Set(english);

/** Collapse runs of whitespace so a phrase pasted with line breaks reads as one. */
export function normalizeMnemonic(phrase: string): string {
  return phrase.normalize("NFKD").trim().split(/\s+/).join(" ");
}

/** Why `phrase` is not a valid English BIP-39 mnemonic, or undefined when it is one. */
export function mnemonicProblem(phrase: string): string | undefined {
  const normalized = normalizeMnemonic(phrase);
  const words = normalized === "" ? [] : normalized.split(" ");
  if (!WORD_COUNTS.includes(words.length)) {
    return `has ${words.length} word${words.length === 1 ? "" : "s"} (expected 12, 15, 18, 21 or 24)`;
  }
  for (const [i, word] of words.entries()) {
    if (!WORDS.has(word)) return `word ${i + 1} is not in the BIP-39 English word list`;
  }
  // count and words are right, so what is left to refuse is the checksum
  if (!validateMnemonic(normalized, english)) {
    return "checksum does not match (a word is probably mistyped or out of order)";
  }
  return undefined;
}
