/** The test PKI lives in actorhsm/testing (the CERT contention phases build their chains with it). */
export * from '../../../src/testing/pki.js';
