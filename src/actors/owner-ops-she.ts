/**
 * SHE's atomic owner operations (key update, secure boot, PRNG), merged into
 * `ownerOps`: each runs in one owner turn like every other.
 */
export const sheOwnerOps = {} as const;
