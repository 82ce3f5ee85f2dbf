/**
 * A crypto job: a pure function of plain, structured-cloneable data, so the same
 * job runs inline on the event loop or in a worker thread with identical results.
 */
export type CryptoJobFn = (args: never) => unknown;

/** Jobs by name; each algorithm family exports its own table (`src/crypto/<family>/jobs.ts`). */
export type CryptoJobTable = Readonly<Record<string, CryptoJobFn>>;
