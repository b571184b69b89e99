/**
 * BIP-39 mnemonic checks (word count, English word list, checksum). A mistyped word that is
 * still in the list would otherwise derive a different key without any error, so the
 * checksum is verified too. Messages never repeat the words: they are secret.
 */
import { createHash } from "node:crypto";
import { english } from "viem/accounts";

const WORD_COUNTS = [12, 15, 18, 21, 24];
const WORD_INDEX: ReadonlyMap<string, number> = new Map(english.map((word, i) => [word, i]));

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
  let bits = "";
  for (const [i, word] of words.entries()) {
    const index = WORD_INDEX.get(word);
    if (index === undefined) return `word ${i + 1} is not in the BIP-39 English word list`;
    bits += index.toString(2).padStart(11, "0");
  }
  // 11 bits per word: the entropy, then one checksum bit per 32 bits of entropy.
  const checksumBits = bits.length / 33;
  const entropyBits = bits.slice(0, bits.length - checksumBits);
  const entropy = Buffer.alloc(entropyBits.length / 8);
  for (let i = 0; i < entropy.length; i++) {
    entropy[i] = Number.parseInt(entropyBits.slice(i * 8, i * 8 + 8), 2);
  }
  const hash = createHash("sha256").update(entropy).digest();
  const expected = [...hash]
    .map((byte) => byte.toString(2).padStart(8, "0"))
    .join("")
    .slice(0, checksumBits);
  if (bits.slice(bits.length - checksumBits) !== expected) {
    return "checksum does not match (a word is probably mistyped or out of order)";
  }
  return undefined;
}
