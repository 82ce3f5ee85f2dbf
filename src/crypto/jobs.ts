import type { CryptoJobTable } from './job-table.js';

/**
 * Every crypto job the server knows, by name: the table both the inline engine and
 * the worker threads run from. Each algorithm family contributes its own table.
 */
export const CRYPTO_JOBS: CryptoJobTable = {};
