// Run in a separate Node process by file-flash.test.ts: writes or reads a store on a file flash.
import { FileFlash } from '../../src/ports/flash/file-flash.js';
import { NvmFlash } from '../../src/nvm/nvm-flash.js';
import { Nvm } from '../../src/nvm/nvm.js';
import { makeMetadata } from '../../src/nvm/metadata.js';

const [path, mode] = process.argv.slice(2);
const opened = FileFlash.open({ path: path!, partitionSize: 16384 });
if (opened.rc !== 0) {
  process.stdout.write(JSON.stringify({ error: opened.message }));
  process.exit(3);
}
const nvm = new Nvm();
const rc = nvm.init(new NvmFlash(opened.flash));
if (rc !== 0) process.exit(4);
if (mode === 'write') {
  nvm.addObject(makeMetadata({ id: 42, label: 'from child' }), new TextEncoder().encode('persisted across processes'));
  nvm.addObject(makeMetadata({ id: 43 }), new Uint8Array([1, 2, 3]));
  nvm.destroyObjects([43]);
  // exit without cleanup, as a crash would
  process.exit(0);
}
const m = nvm.getMetadata(42);
const d = m.rc === 0 ? nvm.read(42, 0, m.value.len) : m;
process.stdout.write(
  JSON.stringify({
    meta: m.rc,
    data: d.rc === 0 ? new TextDecoder().decode(d.value) : d.rc,
    gone: nvm.getMetadata(43).rc,
  }),
);
