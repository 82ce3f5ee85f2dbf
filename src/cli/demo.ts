import { errorName } from '../errors.js';
import { FileFlash } from '../ports/flash/file-flash.js';
import { NvmFlash } from '../nvm/nvm-flash.js';
import { Nvm } from '../nvm/nvm.js';
import { labelText, makeMetadata } from '../nvm/metadata.js';

export interface DemoOptions {
  readonly flashPath: string;
  readonly log: (line: string) => void;
}

/** Adds, lists, reads and destroys objects on a file-backed store, saying what it did. Returns an exit code. */
export function runNvmDemo({ flashPath, log }: DemoOptions): number {
  const opened = FileFlash.open({ path: flashPath, partitionSize: 16384 });
  if (opened.rc !== 0) {
    log(`cannot open flash: ${opened.message}`);
    return 1;
  }
  const nvm = new Nvm();
  const rc = nvm.init(new NvmFlash(opened.flash));
  if (rc !== 0) {
    log(`NVM init failed: ${errorName(rc)}`);
    return 1;
  }
  const enc = new TextEncoder();
  const say = (what: string, code: number) => log(`${what.padEnd(44)} ${errorName(code)}`);
  const before = nvm.getAvailable();
  if (before.rc === 0) log(`store ${flashPath}: ${before.value.availSize} bytes and ${before.value.availObjects} entries free`);

  const objects: Array<[number, string, string]> = [
    [1, 'label1', 'data1'],
    [2, 'label2', 'a longer second object'],
    [3, 'label3', 'data3'],
  ];
  for (const [id, label, data] of objects) {
    say(`add object ${id} "${data}"`, nvm.addObject(makeMetadata({ id, label }), enc.encode(data)));
  }
  let l = nvm.list(0xffff, 0xffff, 0);
  const ids: number[] = [];
  while (l.rc === 0 && l.value.count > 0) {
    ids.push(l.value.id);
    l = nvm.list(0, 0, l.value.id);
  }
  log(`list -> [${ids.join(', ')}]`);
  for (const id of ids) {
    const m = nvm.getMetadata(id);
    if (m.rc !== 0) continue;
    const d = nvm.read(id, 0, m.value.len);
    log(`read object ${id} (${labelText(m.value.label)}): ${d.rc === 0 ? JSON.stringify(new TextDecoder().decode(d.value)) : errorName(d.rc)}`);
  }
  say('destroy objects [1, 2, 3]', nvm.destroyObjects([1, 2, 3]));
  say('read object 1 after destroy', nvm.read(1, 0, 1).rc);
  const after = nvm.getAvailable();
  if (after.rc === 0) log(`free again: ${after.value.availSize} bytes, ${after.value.availObjects} entries`);
  nvm.cleanup();
  return 0;
}
