import { pageData } from './html-data.js';
import { PAGE_SCRIPT } from './html-script.js';
import type { Shrunk } from './shrink.js';
import type { Annotation, CheckResult, Model, Operation } from './types.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface HtmlOptions<S, I, O> {
  /** The minimal failing history (from `shrinkHistory`), shown first. */
  readonly shrunk?: Shrunk<S, I, O>;
  /** Non-operation events to draw (client disconnect, lease revoked, compaction). */
  readonly annotations?: readonly Annotation[];
}

const STYLE = `body{font:13px system-ui,sans-serif;margin:20px;max-width:100%}
h3{margin:0 0 6px}section{margin:14px 0}
table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:left;font-family:ui-monospace,monospace;font-size:12px}
tr.stuck td{background:#f8c7c7}.why{color:#a00;font-weight:bold}
#controls{margin:8px 0;display:flex;gap:8px;align-items:center}
#timeline{overflow:auto;border:1px solid #ccc;max-height:70vh;position:relative}
#canvas{position:relative}
.lane{position:absolute;left:0;right:0;height:29px;border-bottom:1px solid #eee}
.client{position:absolute;width:100px;line-height:28px;color:#555;background:#fff;z-index:3;padding-left:4px}
.op{position:absolute;height:22px;background:#cfd8e3;border:1px solid #8a9bb0;border-radius:3px;font-size:10px;overflow:hidden;white-space:nowrap;line-height:22px;padding:0 2px;box-sizing:border-box}
.op.lin{background:#bfe5bf;border-color:#4a9a4a}.op.stuck{background:#f4a3a3;border:2px solid #c00;z-index:2}
.op.conc{border:2px solid #d98b00}.op.pending{background:repeating-linear-gradient(45deg,#eee,#eee 4px,#ddd 4px,#ddd 8px)}
.op.ann{background:#f3e6ff;border-color:#8a5cc2}
.legend span{padding:1px 6px;border-radius:3px;margin-right:6px}`;

function table(headers: string[], rows: string[][], stuckRow = -1): string {
  return `<table><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r, i) => `<tr${i === stuckRow ? ' class="stuck"' : ''}>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

/**
 * A self-contained HTML failure page (porcupine's visualisation is the model,
 * and more): the minimal failing history first; the linearization points in
 * order with the model state before and after each; the operation that cannot
 * be placed and why; other partial linearizations that got stuck; then a
 * zoomable, scrollable timeline per partition (lanes per client in natural
 * order, every bar labelled, annotations) with a jump to the first error. The
 * page draws from embedded data, so large histories render.
 */
export function renderHistoryHtml<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], result?: CheckResult<S, I, O>, title = 'history', options: HtmlOptions<S, I, O> = {}): string {
  const d = pageData(model, ops, result, title, { shrunk: options.shrunk, annotations: options.annotations });
  const parts: string[] = [`<h3>${esc(title)}</h3><p>${esc(d.summary)}</p>`];
  const e = d.explanation;
  if (e) {
    parts.push(`<p><a id="jump" href="#first-error">Jump to the first error</a> (partition ${e.partition}, client ${esc(e.stuckClient)})</p>`);
    if (d.minimal) {
      const stuckAt = d.minimal.ops.findIndex((o) => o.stuck);
      parts.push(
        `<section id="minimal"><h4>Minimal failing history: ${d.minimal.ops.length} of ${d.minimal.of} operations${d.minimal.minimum ? ' (no smaller subset fails the same way)' : ''}</h4>` +
          table(['client', 'operation', 'call', 'return'], d.minimal.ops.map((o) => [o.client, o.label, String(o.call), o.ret === null ? 'pending' : String(o.ret)]), stuckAt) +
          (d.minimal.why ? `<p class="why">${esc(d.minimal.why)}</p>` : '') +
          `</section>`,
      );
    }
    const rows = e.steps.map((s, i) => [String(e.omitted + i + 1), s.client, s.label, s.before, s.after]);
    rows.push(['✗', e.stuckClient, e.stuckLabel, e.stateBefore, 'cannot be placed']);
    parts.push(
      `<section id="explanation"><h4>Longest linearizable prefix: ${e.omitted + e.steps.length} linearization point(s)${e.omitted ? `, the last ${e.steps.length} shown` : ''}</h4>` +
        table(['#', 'client', 'operation', 'state before', 'state after'], rows, rows.length - 1) +
        `<p>Cannot place <b>${esc(e.stuckLabel)}</b> (client ${esc(e.stuckClient)}): <span class="why">${esc(e.why)}</span></p>` +
        (e.alternatives.length
          ? `<details><summary>${e.alternatives.length} other partial linearization(s) of the same length also got stuck</summary><ol>${e.alternatives
              .map((a) => `<li>${esc(a.labels.slice(-8).join(' → '))} ✗ <b>${esc(a.stuck)}</b></li>`)
              .join('')}</ol></details>`
          : '') +
        `</section>`,
    );
  }
  parts.push(
    `<div id="controls"><label>Partition <select id="partition"></select></label><button id="zoom-out">−</button><button id="zoom-in">+</button><span id="shown"></span></div>` +
      `<p class="legend"><span class="op-l" style="background:#bfe5bf">linearized (numbered)</span><span style="background:#f4a3a3">cannot be placed</span><span style="border:2px solid #d98b00">concurrent with it</span><span style="background:#ddd">pending</span><span style="background:#f3e6ff">annotation</span></p>` +
      `<div id="timeline"><div id="canvas"></div></div>`,
  );
  const json = JSON.stringify(d).replace(/</g, '\\u003c');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${parts.join('\n')}<script type="application/json" id="data">${json}</script><script>${PAGE_SCRIPT}</script></body></html>`;
}
