/** Most operators `wavs dev` starts. */
export const MAX_DEV_OPERATORS = 9;
