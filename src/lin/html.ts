import type { CheckResult, Model, Operation } from './types.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A self-contained HTML page drawing a history as a timeline, one row per
 * client (porcupine's visualisation is the model): each operation is a bar from
 * call to return; for a violation the unplaceable operation is red, the longest
 * linearizable prefix green (numbered in linearization order), its concurrent
 * operations outlined. Hover a bar for the operation and its output.
 */
export function renderHistoryHtml<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], result?: CheckResult<S, I, O>, title = 'history'): string {
  const v = result?.violation;
  const order = new Map<Operation<I, O>, number>();
  v?.longestPrefix.forEach((o, i) => order.set(o, i + 1));
  const concurrent = new Set(v?.concurrent ?? []);
  const clients = [...new Set(ops.map((o) => String(o.client)))].sort();
  const tMax = Math.max(1, ...ops.map((o) => o.ret ?? o.call + 1));
  const tMin = Math.min(...ops.map((o) => o.call), 0);
  const W = 1400;
  const x = (t: number) => ((t - tMin) / (tMax - tMin + 1)) * W;
  const rows = clients
    .map((c, row) => {
      const bars = ops
        .filter((o) => String(o.client) === c)
        .map((o) => {
          const label = model.describeOperation ? model.describeOperation(o.input, o.output) : JSON.stringify(o.input);
          const cls = o === v?.stuck ? 'stuck' : order.has(o) ? 'lin' : concurrent.has(o) ? 'conc' : o.ret === null ? 'pending' : '';
          const left = x(o.call);
          const width = Math.max(3, x(o.ret ?? tMax) - left);
          const n = order.get(o);
          return `<div class="op ${cls}" style="left:${left.toFixed(1)}px;width:${width.toFixed(1)}px" title="${esc(label)} @${o.call}..${o.ret ?? 'pending'}">${n ?? ''}</div>`;
        })
        .join('');
      return `<div class="row" style="top:${row * 34}px"><span class="client">${esc(c)}</span><div class="lane">${bars}</div></div>`;
    })
    .join('\n');
  const summary = result ? `${model.name}: <b>${result.verdict}</b> (${result.partitions} partitions, ${result.steps} steps)` : model.name;
  const detail = v
    ? `<p>Cannot place <span class="tag stuck">${esc(model.describeOperation?.(v.stuck.input, v.stuck.output) ?? '')}</span> after ${v.longestPrefix.length} linearized operations; state before it: <code>${esc(model.describeState?.(v.stateBefore) ?? JSON.stringify(v.stateBefore) ?? '')}</code></p>`
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>
body{font:13px system-ui,sans-serif;margin:20px}
.chart{position:relative;height:${clients.length * 34 + 10}px}
.row{position:absolute;left:0;right:0;height:30px}
.client{position:absolute;left:0;width:90px;line-height:26px;color:#555}
.lane{position:absolute;left:100px;width:${W}px;height:26px;border-bottom:1px solid #eee}
.op{position:absolute;height:22px;top:2px;background:#cfd8e3;border:1px solid #8a9bb0;border-radius:3px;font-size:10px;overflow:hidden;text-align:center;line-height:22px}
.op.lin{background:#bfe5bf;border-color:#4a9a4a}.op.stuck{background:#f4a3a3;border-color:#c00;z-index:2}
.op.conc{border:2px solid #d98b00}.op.pending{background:repeating-linear-gradient(45deg,#eee,#eee 4px,#ddd 4px,#ddd 8px)}
.tag{padding:1px 4px;border-radius:3px}.tag.stuck{background:#f4a3a3}
</style></head><body><h3>${esc(title)}</h3><p>${summary}</p>${detail}<div class="chart">${rows}</div></body></html>`;
}
