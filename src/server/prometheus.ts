/**
 * Prometheus text exposition format 0.0.4, just what the server's metrics need:
 * counters, gauges and histograms with labels. Written here rather than pulling in
 * a metrics library: the server keeps its own counters and only has to print them.
 */

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly labels?: Labels;
  readonly value: number;
}

/** One metric family: its HELP, TYPE and samples (histograms render their own suffixed series). */
export type Family =
  | { readonly name: string; readonly help: string; readonly type: 'counter' | 'gauge'; readonly samples: readonly Sample[] }
  | { readonly name: string; readonly help: string; readonly type: 'histogram'; readonly series: readonly HistogramSeries[] };

export interface HistogramSeries {
  readonly labels: Labels;
  /** Upper bounds in seconds, ascending, without +Inf. */
  readonly bounds: readonly number[];
  /** Non-cumulative counts per bound, plus one for above the last bound. */
  readonly counts: readonly number[];
  readonly sum: number;
}

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function labelText(labels: Labels | undefined, extra?: [string, string]): string {
  const pairs = Object.entries(labels ?? {});
  if (extra) pairs.push(extra);
  return pairs.length === 0 ? '' : `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** The exposition text of `families`, each with its HELP and TYPE line. */
export function renderPrometheus(families: readonly Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    if (f.type !== 'histogram') {
      for (const s of f.samples) out.push(`${f.name}${labelText(s.labels)} ${num(s.value)}`);
      continue;
    }
    for (const s of f.series) {
      // Buckets are cumulative; +Inf equals the count.
      let total = 0;
      s.bounds.forEach((b, i) => {
        total += s.counts[i] ?? 0;
        out.push(`${f.name}_bucket${labelText(s.labels, ['le', num(b)])} ${total}`);
      });
      total += s.counts[s.bounds.length] ?? 0;
      out.push(`${f.name}_bucket${labelText(s.labels, ['le', '+Inf'])} ${total}`);
      out.push(`${f.name}_sum${labelText(s.labels)} ${num(s.sum)}`);
      out.push(`${f.name}_count${labelText(s.labels)} ${total}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** A histogram's running counts (non-cumulative; rendering accumulates). */
export class Histogram {
  readonly counts: number[];
  sum = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(v: number): void {
    let i = 0;
    while (i < this.bounds.length && v > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
  }
}
