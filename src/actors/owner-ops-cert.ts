/**
 * The CERT group's atomic owner operations (trusted roots, verification reads,
 * leaf-key caching), merged into `ownerOps`: each runs in one owner turn.
 */
export const certOwnerOps = {} as const;
