/** actorhsm/lin: the linearizability checker, its models, the history recorder and the failure report. */
export * from './types.js';
export { checkOperations, type CheckOptions } from './checker.js';
export { HistoryRecorder, countOverlaps, type HistoryEvent } from './recorder.js';
export { formatReport } from './report.js';
export { renderHistoryHtml } from './html.js';
export { casRegisterModel, type RegisterInput, type RegisterOutput } from './models/register.js';
export { kvModel, type KvInput, type KvOutput } from './models/kv.js';
export { hsmModel, canonical, type HsmInput, type HsmOutput, type HsmGeometry, type HsmState } from './models/hsm.js';
export { objectModel, objectModelSupports } from './models/objects.js';
export { parseJepsenEtcdLog, parseKvLog } from './porcupine-logs.js';
export { RecordingHsmClient } from './hsm-history.js';
export { defaultMemoryBytes, type Exhausted } from './budget.js';
export { shrinkHistory, ddmin, unexplained, type Shrunk, type ShrinkOptions } from './shrink.js';
export { explainViolation, describeOp, type Explanation, type LinearizationStep } from './explain.js';
export { type HtmlOptions } from './html.js';
export { determinize, type NondeterministicModel } from './nondeterministic.js';
export { generateRegisterHistory, generateKvHistory, seededRandom, type GenerateOptions } from './generate.js';
