import type { Nvm } from '../../src/nvm/nvm.js';
import { labelText } from '../../src/nvm/metadata.js';

/** Every visible object, in list order, as comparable plain data. */
export function nvmContents(nvm: Nvm): Array<{ id: number; flags: number; label: string; data: string }> {
  const out: Array<{ id: number; flags: number; label: string; data: string }> = [];
  let r = nvm.list(0, 0, 0);
  const seen = new Set<number>();
  while (r.rc === 0 && r.value.count > 0) {
    const id = r.value.id;
    if (seen.has(id)) throw new Error(`list repeated id ${id}`);
    seen.add(id);
    const m = nvm.getMetadata(id);
    if (m.rc !== 0) throw new Error(`listed id ${id} has no metadata (${m.rc})`);
    const d = m.value.len > 0 ? nvm.read(id, 0, m.value.len) : null;
    if (d && d.rc !== 0) throw new Error(`listed id ${id} unreadable (${d.rc})`);
    out.push({ id, flags: m.value.flags, label: labelText(m.value.label), data: d && d.rc === 0 ? Buffer.from(d.value).toString('hex') : '' });
    r = nvm.list(0, 0, id);
  }
  if (r.rc !== 0) throw new Error(`list failed (${r.rc})`);
  return out;
}
