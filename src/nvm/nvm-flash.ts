import { WhError, errorName, fail, ok, type Result, type WhFailure, type WhRc } from '../errors.js';
import type { FlashPort } from '../ports/flash/flash-port.js';
import { planBoot } from './boot-plan.js';
import { CRC16_INIT, crc16 } from './crc16.js';
import { CRC_WORD_TAG, ENTRY_UNITS, STATE_MAGIC, STATE_UNITS, crcStateWord, entryUnit, formatWord, headerUnits, putWord, stateWord, wordHigh } from './flash-layout.js';
import { UNIT_BYTES, bytesToUnits, eraseUnits, programBytes, programUnits } from './flash-unit.js';
import { EMPTY_METADATA, NVM_METADATA_SIZE, decodeMetadata, encodeMetadata, withLen, type NvmMetadata } from './metadata.js';
import { NVM_DEFAULTS, type NvmAvailable, type NvmBackend, type NvmListResult } from './nvm-types.js';
import { EntryStatus, FREE_RECORD, parseObjectState, readObjectState, readPartitionWords, type StateRecord } from './state-record.js';

export interface NvmFlashConfig {
  /** Directory entries per partition (WOLFHSM_CFG_NVM_OBJECT_COUNT). Default 32. */
  readonly objectCount?: number;
  /**
   * wolfHSM's optional per-object CRC16 (WOLFHSM_CFG_NVM_FLASH_CRC16): metadata and
   * data CRCs in each object's start and count words, checked at load, on full reads
   * and by compaction. Images with and without it are incompatible. Default false.
   */
  readonly crc?: boolean;
  /**
   * Format partition 0 when the flash holds data but no valid store, as wolfHSM does
   * (destroying whatever was there). Default false: init refuses with NOTVERIFIED and
   * explains why in `initProblem`.
   */
  readonly formatIfInvalid?: boolean;
  /**
   * A stepwise compaction yields once it has copied at least this many bytes since its
   * last step (an object is never split; 0 yields after every object). Default 32 KiB:
   * a step holds the event loop for tens of microseconds, and a compaction of small
   * objects holds its lease for one or two turns of the loop instead of one per object.
   */
  readonly compactionStepBytes?: number;
}

interface DirEntry {
  status: EntryStatus;
  state: StateRecord;
  meta: NvmMetadata;
}

/** What a boot-time directory load noticed beyond the entry statuses. */
interface LoadReport {
  readonly warnings: string[];
  /** Set when the image was written with the other CRC setting. */
  mismatch: string | null;
}

/** The parsed directory of one partition; always equal to what a boot would parse from flash. */
interface Directory {
  partition: 0 | 1;
  epoch: number;
  entries: DirEntry[];
  /** First unused directory entry. */
  nextFreeObject: number;
  /** First unused data unit, relative to the data area. */
  nextFreeData: number;
  reclaimableEntries: number;
  reclaimableData: number;
}

/**
 * Compaction copies an object's data in one read and one program (wolfHSM uses a
 * small stack buffer). Order and size of writes inside the destination partition do
 * not matter for recovery: nothing there counts until its partition count word.
 */
const COPY_CHUNK_UNITS = 8192;

/** See NvmFlashConfig.compactionStepBytes. */
export const DEFAULT_COMPACTION_STEP_BYTES = 32 * 1024;

/**
 * wolfHSM's two-partition flash NVM store (wh_nvm_flash.c): an append-only
 * directory whose count word is the commit point of every add, and
 * replicate-and-switch compaction whose partition count word is the commit
 * point of every destroy. Power may fail at any write: the next boot sees either
 * the old or the new state.
 *
 * Synchronous and lock-free; whoever owns an instance serialises calls to it.
 */
export class NvmFlash implements NvmBackend {
  readonly objectCount: number;
  readonly crc: boolean;
  private readonly formatIfInvalid: boolean;
  private readonly stepBytes: number;
  /** Why the last init refused the flash (what is wrong, where, how to start fresh); null after a successful init. */
  initProblem: string | null = null;
  /** What the last init recovered from (words read as wolfHSM reads them, hidden entries), with byte offsets. */
  initWarnings: string[] = [];
  private partitionUnits = 0;
  private dataAreaUnits = 0;
  private dir: Directory | null = null;
  private directoryBad = false;
  private initialized = false;
  /** Bumped by every change, so a suspended stepwise compaction knows when it went stale. */
  private mutations = 0;
  /** loadDirectory's buffer for the whole directory (never held across calls). */
  private dirScratch: Uint8Array | null = null;
  /** copyLiveObjects' data and entry buffers, likewise. */
  private copyScratch: Uint8Array | null = null;
  private entryScratch: Uint8Array | null = null;

  constructor(
    readonly flash: FlashPort,
    config: NvmFlashConfig = {},
  ) {
    this.objectCount = config.objectCount ?? NVM_DEFAULTS.objectCount;
    this.crc = config.crc ?? false;
    this.formatIfInvalid = config.formatIfInvalid ?? false;
    this.stepBytes = config.compactionStepBytes ?? DEFAULT_COMPACTION_STEP_BYTES;
  }

  get headerUnits(): number {
    return headerUnits(this.objectCount);
  }

  /** Which partition holds the live directory, and its generation; for tests and tools. */
  get activePartition(): { readonly partition: 0 | 1; readonly epoch: number } | null {
    return this.dir ? { partition: this.dir.partition, epoch: this.dir.epoch } : null;
  }

  init(): WhRc {
    this.initProblem = null;
    this.initWarnings = [];
    const badConfig = (problem: string): WhRc => {
      this.initProblem = problem;
      return WhError.BADARGS;
    };
    if (!Number.isInteger(this.objectCount) || this.objectCount <= 0 || this.objectCount > 0xffff) return badConfig(`object count ${this.objectCount} is not 1..65535`);
    if (!Number.isSafeInteger(this.stepBytes) || this.stepBytes < 0) return badConfig(`compaction step of ${this.stepBytes} bytes is not a whole number >= 0`);
    const partBytes = this.flash.partitionSize();
    if (!(partBytes > 0) || partBytes % UNIT_BYTES !== 0) return badConfig(`partition size ${partBytes} is not a positive multiple of ${UNIT_BYTES}`);
    this.partitionUnits = partBytes / UNIT_BYTES;
    this.dataAreaUnits = this.partitionUnits - this.headerUnits;
    if (this.dataAreaUnits <= 0) return badConfig(`a ${partBytes}-byte partition cannot hold a directory of ${this.objectCount} entries`);
    this.dir = null;
    this.directoryBad = false;

    this.flash.writeUnlock(0, partBytes);
    this.flash.writeUnlock(partBytes, partBytes);
    const refuse = (rc: WhFailure, problem: string): WhRc => {
      this.initProblem = problem;
      this.flash.writeLock(0, partBytes);
      this.flash.writeLock(partBytes, partBytes);
      return rc;
    };

    const plan = planBoot(this.flash, { partitionUnits: this.partitionUnits, headerUnits: this.headerUnits }, this.formatIfInvalid);
    if (plan.kind === 'refuse') return refuse(plan.rc, plan.problem);
    const warnings = [...plan.warnings];
    let active: 0 | 1 = 0;
    if (plan.kind === 'format') {
      const rc = this.formatPartition0();
      if (rc !== WhError.OK) return refuse(rc, `formatting partition 0 failed (${errorName(rc)})`);
    } else active = plan.partition;

    const report: LoadReport = { warnings, mismatch: null };
    const loaded = this.loadDirectory(active, report);
    if (loaded.rc !== 0) return refuse(loaded.rc, `reading the directory of partition ${active} failed (${errorName(loaded.rc)})`);
    if (report.mismatch !== null) return refuse(WhError.NOTVERIFIED, report.mismatch);
    this.dir = loaded.value;
    this.initWarnings = warnings;
    this.initialized = true;
    return WhError.OK;
  }

  cleanup(): WhRc {
    if (!this.initialized) return WhError.OK;
    const partBytes = this.partitionUnits * UNIT_BYTES;
    this.flash.writeLock(0, partBytes);
    this.flash.writeLock(partBytes, partBytes);
    return this.flash.cleanup();
  }

  private partitionBase(p: 0 | 1): number {
    return p * this.partitionUnits;
  }

  private dataBase(p: 0 | 1): number {
    return this.partitionBase(p) + this.headerUnits;
  }

  private formatPartition0(): WhRc {
    if (this.flash.blankCheck(0, this.partitionUnits * UNIT_BYTES) !== WhError.OK) {
      const rc = eraseUnits(this.flash, 0, this.partitionUnits);
      if (rc !== WhError.OK) return rc;
    }
    const rc = this.programPartitionHead(0, 0);
    return rc === WhError.OK ? this.commitPartition(0) : rc;
  }

  /** A partition's state, first half in write order: epoch, then start. */
  private programPartitionHead(p: 0 | 1, epoch: number): WhRc {
    const base = this.partitionBase(p);
    const rc = programUnits(this.flash, base, stateWord(epoch));
    return rc === WhError.OK ? programUnits(this.flash, base + 1, stateWord(this.headerUnits)) : rc;
  }

  /** The count word, the partition's commit point: everything written into it before must be durable first. */
  private commitPartition(p: 0 | 1): WhRc {
    this.flash.barrier?.('prepared');
    const rc = programUnits(this.flash, this.partitionBase(p) + 2, stateWord(this.partitionUnits));
    if (rc === WhError.OK) this.flash.barrier?.('commit');
    return rc;
  }

  /**
   * Reads and parses a partition's directory exactly as a boot does (spec-core 3.6).
   * The partition state words are read as wolfHSM reads them (low 32 bits of written
   * words): which partition may be trusted was decided by planBoot, or it was just
   * written and verified by a compaction. With a `report` (at boot) it also records
   * what was hidden and why.
   */
  private loadDirectory(p: 0 | 1, report?: LoadReport): Result<Directory> {
    const base = this.partitionBase(p);
    const pw = readPartitionWords(this.flash, base);
    if (pw.epoch?.kind !== 'written' || pw.start?.kind !== 'written' || pw.count?.kind !== 'written') return fail(WhError.ABORTED);
    // Deviation: an image made for another directory size is refused, not misread.
    if (pw.start.low !== this.headerUnits || pw.count.low !== this.partitionUnits) return fail(WhError.BADARGS);

    const N = this.objectCount;
    const dir: Directory = {
      partition: p,
      epoch: pw.epoch.low,
      entries: [],
      nextFreeObject: N,
      nextFreeData: 0,
      reclaimableEntries: 0,
      reclaimableData: 0,
    };
    // The whole directory in one read; if that fails, entry by entry and word by word,
    // so a bad spot hides only what it covers. Both give the same directory.
    const entryBytes = ENTRY_UNITS * UNIT_BYTES;
    const all = (this.dirScratch ??= new Uint8Array(N * entryBytes));
    const allView = this.flash.read((base + entryUnit(0)) * UNIT_BYTES, all) === WhError.OK ? new DataView(all.buffer, all.byteOffset, all.byteLength) : null;
    const metaScratch = new Uint8Array(NVM_METADATA_SIZE);
    for (let i = 0; i < N; i++) {
      const at = (base + entryUnit(i)) * UNIT_BYTES;
      let state = allView ? parseObjectState(this.flash, base + entryUnit(i), allView, i * entryBytes, this.crc) : readObjectState(this.flash, base + entryUnit(i), this.crc);
      let meta = EMPTY_METADATA;
      let status: EntryStatus = state.status;
      if (status === EntryStatus.USED || status === EntryStatus.DATA_BAD) {
        const metaAt = i * entryBytes + STATE_UNITS * UNIT_BYTES;
        const metaBuf = allView ? all.subarray(metaAt, metaAt + NVM_METADATA_SIZE) : metaScratch;
        if (!allView && this.flash.read(at + STATE_UNITS * UNIT_BYTES, metaBuf) !== WhError.OK) {
          // spec-core 3.7: a read error skips the entry. Its extent stays reserved
          // (the whole rest of the data area when its length is unknown).
          status = status === EntryStatus.USED ? EntryStatus.CRC_BAD : EntryStatus.LEN_BAD;
          report?.warnings.push(`entry ${i} (byte offset ${at}): its metadata could not be read; the entry is hidden and reclaimable`);
        } else {
          meta = decodeMetadata(metaBuf);
          if (this.crc && crc16(metaBuf) !== state.metaCrc) {
            status = status === EntryStatus.USED ? EntryStatus.CRC_BAD : EntryStatus.LEN_BAD;
            this.noteCrcFailure(report, i, at, state);
          }
        }
      } else if (status === EntryStatus.UNKNOWN) {
        // A state record that cannot be read: skipped like an entry of unknown extent.
        status = EntryStatus.LEN_BAD;
        state = { ...FREE_RECORD, status, start: dir.nextFreeData };
        report?.warnings.push(`entry ${i} (byte offset ${at}): its state record could not be read; the entry is hidden and the rest of the data area reserved`);
      }
      if (report && state.rejected) this.noteRejectedWord(report, i, at, state);
      dir.entries.push({ status, state, meta });
      if (status === EntryStatus.FREE) {
        dir.nextFreeObject = i;
        break;
      }
      switch (status) {
        case EntryStatus.USED:
          dir.nextFreeData = state.start + state.count;
          break;
        case EntryStatus.META_BAD:
          dir.reclaimableEntries++;
          break;
        case EntryStatus.DATA_BAD: {
          const units = bytesToUnits(meta.len);
          dir.reclaimableEntries++;
          dir.reclaimableData += units;
          dir.nextFreeData = state.start + units;
          break;
        }
        case EntryStatus.CRC_BAD:
          dir.reclaimableEntries++;
          dir.reclaimableData += state.count;
          dir.nextFreeData = state.start + state.count;
          break;
        case EntryStatus.LEN_BAD:
          // Without a trusted length the extent is unknown: reserve the rest of the data area.
          dir.reclaimableEntries++;
          dir.reclaimableData += Math.max(0, this.dataAreaUnits - state.start);
          dir.nextFreeData = this.dataAreaUnits;
          break;
        default:
          return fail(WhError.ABORTED);
      }
    }
    while (dir.entries.length < N) dir.entries.push(freeEntry());
    dir.nextFreeData = Math.min(dir.nextFreeData, this.dataAreaUnits);

    // The highest-index copy of an id wins; earlier copies are garbage.
    const seen = new Map<number, number>();
    for (let i = 0; i < dir.nextFreeObject; i++) {
      const e = dir.entries[i]!;
      if (e.status !== EntryStatus.USED) continue;
      const prev = seen.get(e.meta.id);
      if (prev !== undefined) this.markGarbage(dir, prev);
      seen.set(e.meta.id, i);
    }
    return ok(dir);
  }

  /** A metadata CRC failure; at boot, a start word with the plain magic means the image was written without CRCs. */
  private noteCrcFailure(report: LoadReport | undefined, i: number, at: number, state: StateRecord): void {
    if (!report) return;
    const plainMagic = state.metaCrc === (STATE_MAGIC & 0xffff);
    if (plainMagic && report.mismatch === null) {
      report.mismatch =
        `entry ${i} (byte offset ${at}): its start word carries the plain 0x12345678 magic and no metadata CRC: ` +
        `the store was written with the CRC16 option off. Open it with crc off (serve --crc off); nothing was written.`;
    }
    report.warnings.push(`entry ${i} (byte offset ${at}): metadata fails its CRC16 (stored 0x${state.metaCrc.toString(16).padStart(4, '0')}); the entry is hidden and reclaimable`);
  }

  /** A written state word without its magic: a torn write, damage, or (CRC tag without CRC mode) the other layout. */
  private noteRejectedWord(report: LoadReport, i: number, at: number, state: StateRecord): void {
    const r = state.rejected!;
    const wordAt = at + r.word * UNIT_BYTES;
    const name = ['epoch', 'start', 'count'][r.word];
    if (!this.crc && r.word > 0 && r.raw.kind === 'written' && r.raw.high >>> 16 === CRC_WORD_TAG && report.mismatch === null) {
      report.mismatch =
        `entry ${i}: the ${name} word at byte offset ${wordAt} reads ${formatWord(r.raw)}, a CRC16-layout word: ` +
        `the store was written with the CRC16 option on. Open it with crc on (serve --crc on); nothing was written.`;
    }
    report.warnings.push(
      `entry ${i}: the ${name} word at byte offset ${wordAt} reads ${formatWord(r.raw)} without its magic (a torn write or damage); the entry is hidden and reclaimable`,
    );
  }

  /** An object's start or count word in this store's layout. */
  private objectWord(value: number, crc: number): Uint8Array {
    return this.crc ? crcStateWord(value, crc) : stateWord(value);
  }

  private markGarbage(dir: Directory, index: number): void {
    const e = dir.entries[index]!;
    e.status = EntryStatus.DATA_BAD;
    dir.reclaimableEntries++;
    dir.reclaimableData += e.state.count;
  }

  private usable(): Directory | null {
    return this.dir !== null && !this.directoryBad ? this.dir : null;
  }

  private findIndex(dir: Directory, id: number): number {
    for (let i = 0; i < dir.nextFreeObject; i++) {
      const e = dir.entries[i]!;
      if (e.status === EntryStatus.USED && e.meta.id === id) return i;
    }
    return -1;
  }

  getAvailable(): Result<NvmAvailable> {
    const dir = this.usable();
    if (!dir) return fail(WhError.ABORTED);
    return ok({
      availSize: (this.dataAreaUnits - dir.nextFreeData) * UNIT_BYTES,
      availObjects: this.objectCount - dir.nextFreeObject,
      reclaimSize: dir.reclaimableData * UNIT_BYTES,
      reclaimObjects: dir.reclaimableEntries,
    });
  }

  addObject(meta: NvmMetadata, data: Uint8Array | null, dataLen: number = data?.length ?? 0): WhRc {
    this.mutations++;
    if (!Number.isInteger(dataLen) || dataLen < 0 || dataLen > 0xffff) return WhError.BADARGS;
    if (dataLen > 0 && (data === null || data.length < dataLen)) return WhError.BADARGS;
    const dir = this.usable();
    if (!dir) return WhError.ABORTED;
    if (dir.nextFreeObject >= this.objectCount) return WhError.NOSPACE;
    if (dir.nextFreeData * UNIT_BYTES + dataLen > this.dataAreaUnits * UNIT_BYTES) return WhError.NOSPACE;

    const index = dir.nextFreeObject;
    const old = this.findIndex(dir, meta.id);
    const epoch = old >= 0 ? (dir.entries[old]!.state.epoch + 1) >>> 0 : 0;
    const stored = withLen(meta, dataLen);
    const units = bytesToUnits(dataLen);
    const start = dir.nextFreeData;
    const entry = this.partitionBase(dir.partition) + entryUnit(index);
    const metaBytes = encodeMetadata(stored);
    const body = dataLen > 0 ? data!.subarray(0, dataLen) : new Uint8Array(0);
    const metaCrc = this.crc ? crc16(metaBytes) : 0;
    const dataCrc = this.crc ? crc16(body) : 0;

    let rc = programUnits(this.flash, entry, stateWord(epoch));
    if (rc === WhError.OK) rc = programUnits(this.flash, entry + STATE_UNITS, metaBytes);
    if (rc === WhError.OK) rc = programUnits(this.flash, entry + 1, this.objectWord(start, metaCrc));
    if (rc === WhError.OK && dataLen > 0) rc = programBytes(this.flash, this.dataBase(dir.partition) + start, body);
    // The count word is the add's commit point: everything above must be durable first.
    if (rc === WhError.OK) {
      this.flash.barrier?.('prepared');
      rc = programUnits(this.flash, entry + 2, this.objectWord(units, dataCrc));
      if (rc === WhError.OK) this.flash.barrier?.('commit');
    }
    if (rc !== WhError.OK) {
      this.recoverAfterFailedWrite();
      return rc;
    }

    const state: StateRecord = { status: EntryStatus.USED, epoch, start, count: units, metaCrc, dataCrc, rejected: null };
    dir.entries[index] = { status: EntryStatus.USED, state, meta: stored };
    dir.nextFreeObject = index + 1;
    dir.nextFreeData = start + units;
    if (old >= 0) this.markGarbage(dir, old);
    return WhError.OK;
  }

  /**
   * Deviation: wolfHSM keeps the half-written entry marked free, so every later
   * add in the session fails with NOTBLANK. We re-read the directory from flash,
   * exactly as a reboot would, so the wasted entry is skipped and counted as
   * reclaimable. If the flash cannot even be read, the old view is kept.
   */
  private recoverAfterFailedWrite(): void {
    if (!this.dir) return;
    const reloaded = this.loadDirectory(this.dir.partition);
    if (reloaded.rc === 0) this.dir = reloaded.value;
  }

  list(_access: number, _flags: number, startId: number): Result<NvmListResult> {
    const dir = this.usable();
    if (!dir) return fail(WhError.ABORTED);
    // Filters are accepted and ignored, as by both wolfHSM backends.
    const used: number[] = [];
    for (let i = 0; i < dir.nextFreeObject; i++) if (dir.entries[i]!.status === EntryStatus.USED) used.push(i);
    let from = 0;
    if (startId !== 0) {
      const at = used.findIndex((i) => dir.entries[i]!.meta.id === startId);
      if (at < 0) return ok({ count: 0, id: 0 });
      from = at + 1;
    }
    if (from >= used.length) return ok({ count: 0, id: 0 });
    const id = dir.entries[used[from]!]!.meta.id;
    // wolfHSM counts the first object of a listing from the start only if its id is not 0.
    return ok({ count: used.length - from - (startId === 0 && id === 0 ? 1 : 0), id });
  }

  getMetadata(id: number): Result<NvmMetadata> {
    const dir = this.usable();
    if (!dir) return fail(WhError.ABORTED);
    const i = this.findIndex(dir, id);
    return i < 0 ? fail(WhError.NOTFOUND) : ok(dir.entries[i]!.meta);
  }

  read(id: number, offset: number, len: number): Result<Uint8Array> {
    const dir = this.usable();
    if (!dir) return fail(WhError.ABORTED);
    const i = this.findIndex(dir, id);
    if (i < 0) return fail(WhError.NOTFOUND);
    const e = dir.entries[i]!;
    if (!Number.isInteger(offset) || !Number.isInteger(len) || offset < 0 || len < 0) return fail(WhError.BADARGS);
    if (offset >= e.meta.len) return fail(WhError.BADARGS);
    if (len > e.meta.len - offset) return fail(WhError.BADARGS);
    const startByte = (e.state.start * UNIT_BYTES) + offset;
    if (startByte + len > this.dataAreaUnits * UNIT_BYTES) return fail(WhError.BADARGS);
    const out = new Uint8Array(len);
    if (len === 0) return ok(out);
    const rc = this.flash.read(this.dataBase(dir.partition) * UNIT_BYTES + startByte, out);
    if (rc !== WhError.OK) return fail(rc === WhError.BADARGS ? WhError.BADARGS : WhError.ABORTED);
    // CRC16 option: a read of the whole object is checked; partial reads are not (spec-core 3.8).
    if (this.crc && offset === 0 && len === e.meta.len && crc16(out) !== e.state.dataCrc) return fail(WhError.NOTVERIFIED);
    return ok(out);
  }

  destroyObjects(ids: readonly number[] | null, count: number = ids?.length ?? 0): WhRc {
    return drain(this.destroyObjectsStepwise(ids, count));
  }

  /**
   * destroyObjects in steps: the compaction yields after erasing the destination and
   * after each object it copies, so a caller can let other work run in between (the
   * owner holds a lease meanwhile, so no other NVM call interleaves). Flash contents,
   * write order and barriers are exactly those of the one-shot call. If anything else
   * changes the store while a run is suspended, resuming it answers ABORTED and
   * commits nothing (its half-written destination is garbage a later compaction erases).
   */
  *destroyObjectsStepwise(ids: readonly number[] | null, count: number = ids?.length ?? 0): Generator<void, WhRc, void> {
    this.mutations++;
    if (!Number.isInteger(count) || count < 0) return WhError.BADARGS;
    if (count > 0 && (ids === null || ids.length < count)) return WhError.BADARGS;
    const dir = this.usable();
    if (!dir) return WhError.ABORTED;
    const doomed = new Set(count > 0 ? ids!.slice(0, count) : []);
    if (count > 0 && ![...doomed].some((id) => this.findIndex(dir, id) >= 0)) return WhError.OK;
    // Deviation 38: a compaction that would reclaim nothing rewrites the same objects and
    // erases a partition for no change a client can see, only wear and syncs. It is skipped,
    // but still reads every object as the copy would, so it answers what the copy would.
    if (count === 0 && dir.reclaimableEntries === 0 && dir.reclaimableData === 0) {
      for (const step of this.copyLiveObjects(dir, null, doomed)) if (step !== WhError.OK) return step;
      return WhError.OK;
    }
    return yield* this.replicate(dir, doomed);
  }

  /** Copies every live object except `doomed` into the other partition, then switches to it. */
  private *replicate(src: Directory, doomed: ReadonlySet<number>): Generator<void, WhRc, void> {
    const run = this.mutations;
    const dest: 0 | 1 = src.partition === 0 ? 1 : 0;
    const destBase = this.partitionBase(dest);
    if (this.flash.blankCheck(destBase * UNIT_BYTES, this.partitionUnits * UNIT_BYTES) !== WhError.OK) {
      const rc = eraseUnits(this.flash, destBase, this.partitionUnits);
      if (rc !== WhError.OK) return rc;
      yield;
      if (this.mutations !== run) return WhError.ABORTED;
    }
    let rc = this.programPartitionHead(dest, (src.epoch + 1) >>> 0);
    if (rc !== WhError.OK) return rc;
    for (const step of this.copyLiveObjects(src, dest, doomed)) {
      if (step !== WhError.OK) return step;
      yield;
      if (this.mutations !== run) return WhError.ABORTED;
    }
    // The partition count word is the compaction's commit point.
    rc = this.commitPartition(dest);
    if (rc !== WhError.OK) return rc;

    const loaded = this.loadDirectory(dest);
    if (loaded.rc !== 0) {
      const back = this.loadDirectory(src.partition);
      if (back.rc === 0) this.dir = back.value;
      else this.directoryBad = true;
      return loaded.rc;
    }
    this.dir = loaded.value;
    // Erasing the old partition destroys committed data: only after the switch is durable
    // (the commit barrier above). Nothing committed refers to it from then on.
    const erased = eraseUnits(this.flash, this.partitionBase(src.partition), this.partitionUnits);
    this.flash.barrier?.('erased');
    return erased;
  }

  /** Copies the live objects one by one, yielding OK whenever a step's worth of bytes is copied (or the failure, once). */
  private *copyLiveObjects(src: Directory, dest: 0 | 1 | null, doomed: ReadonlySet<number>): Generator<WhRc, void, void> {
    // dest null: a dry run (deviation 38) that reads and checks everything, programs nothing.
    const program = dest !== null;
    const srcData = this.dataBase(src.partition);
    const destData = program ? this.dataBase(dest) : 0;
    const destBase = program ? this.partitionBase(dest) : 0;
    let di = 0;
    let dd = 0;
    let sinceStep = 0;
    const chunk = (this.copyScratch ??= new Uint8Array(Math.min(COPY_CHUNK_UNITS, this.dataAreaUnits) * UNIT_BYTES));
    // Each entry is built in one buffer (programs copy what they are given, so it is reused).
    const whole = (this.entryScratch ??= new Uint8Array(ENTRY_UNITS * UNIT_BYTES));
    const wholeView = new DataView(whole.buffer);
    const metaBytes = whole.subarray(STATE_UNITS * UNIT_BYTES);
    for (let i = 0; i < src.nextFreeObject; i++) {
      const e = src.entries[i]!;
      if (e.status !== EntryStatus.USED || doomed.has(e.meta.id)) continue;
      const entry = destBase + entryUnit(di);
      encodeMetadata(e.meta, whole, STATE_UNITS * UNIT_BYTES);
      // CRC16 option: the stored CRCs are carried forward, and checked before they are.
      if (this.crc && crc16(metaBytes) !== e.state.metaCrc) {
        yield WhError.NOTVERIFIED;
        return;
      }
      let rc: WhRc = WhError.OK;
      let dataCrc = CRC16_INIT;
      for (let u = 0; rc === WhError.OK && u < e.state.count; u += COPY_CHUNK_UNITS) {
        const n = Math.min(COPY_CHUNK_UNITS, e.state.count - u);
        const buf = chunk.subarray(0, n * UNIT_BYTES);
        rc = this.flash.read((srcData + e.state.start + u) * UNIT_BYTES, buf);
        if (rc === WhError.OK && this.crc) dataCrc = crc16(buf.subarray(0, Math.max(0, Math.min(buf.length, e.meta.len - u * UNIT_BYTES))), dataCrc);
        if (rc === WhError.OK && program) rc = programUnits(this.flash, destData + dd + u, buf);
      }
      if (rc === WhError.OK && this.crc && dataCrc !== e.state.dataCrc) rc = WhError.NOTVERIFIED;
      // The whole directory entry (epoch, start, count, metadata) in one program.
      if (rc === WhError.OK && program) {
        putWord(wholeView, 0, e.state.epoch, STATE_MAGIC);
        putWord(wholeView, UNIT_BYTES, dd, wordHigh(this.crc, e.state.metaCrc));
        putWord(wholeView, 2 * UNIT_BYTES, e.state.count, wordHigh(this.crc, e.state.dataCrc));
        rc = programUnits(this.flash, entry, whole);
      }
      if (rc !== WhError.OK) {
        yield rc;
        return;
      }
      di++;
      dd += e.state.count;
      sinceStep += (ENTRY_UNITS + e.state.count) * UNIT_BYTES;
      if (sinceStep >= this.stepBytes) {
        sinceStep = 0;
        yield WhError.OK;
      }
    }
  }
}

/** Runs a stepwise operation to its end. */
export function drain<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

function freeEntry(): DirEntry {
  return { status: EntryStatus.FREE, state: FREE_RECORD, meta: EMPTY_METADATA };
}

