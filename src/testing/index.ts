/**
 * actorhsm/testing: what test suites of an embedding need and a production server
 * never does: wolfHSM's contention phases with their runner, and the owner
 * primitives that deliberately broken handlers are built from.
 */
export { PHASES, type Phase } from '../lin/contention/phases.js';
export { KEY_POLICY_PHASES, POLICY_PHASES, RECLAIM_PHASES } from '../lin/contention/policy-phases.js';
export { CRYPTO_PHASES } from '../lin/contention/crypto-phases.js';
export { PK_PHASES } from '../lin/contention/pk-phases.js';
export { SHE_PHASES } from '../lin/contention/she-phases.js';
export { CERT_PHASES } from '../lin/contention/cert-phases.js';
export * as testPki from './pki.js';
export { ALL_PHASES, phaseById } from '../lin/contention/all-phases.js';
export { runPhase, phaseModel, PHASE_GEOMETRY, type PhaseRun, type KeyVariant } from '../lin/contention/run-phase.js';
export { testingOwnerOps, callTestingOp, type TestingOpKind, type TestingOpArgs, type TestingOpResult } from './owner-ops.js';
