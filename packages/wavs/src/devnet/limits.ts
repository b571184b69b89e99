/** Most operators `wavs dev` starts. */
export const MAX_DEV_OPERATORS = 9;

/** The dev managers' quorum: 2/3 of the total weight, every operator weighing 1. */
export const DEV_QUORUM = { numerator: 2n, denominator: 3n } as const;

/** How many of `operators` dev operators must sign for quorum. */
export function devQuorumSize(operators: number): number {
  return Math.ceil((operators * Number(DEV_QUORUM.numerator)) / Number(DEV_QUORUM.denominator));
}
