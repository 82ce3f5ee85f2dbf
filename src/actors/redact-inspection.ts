import type { InspectionEvent, Observer } from 'xstate';

type Inspect = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/** Plain data with every byte array replaced by its length: what an inspector may see of a message. */
export function redactBytes(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return `<${value.byteLength} bytes>`;
  if (depth > 8) return '<...>';
  if (Array.isArray(value)) return value.map((v) => redactBytes(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  // Handles (the owner's store, a session's ports) describe themselves; other class instances stay out.
  if (proto !== Object.prototype && proto !== null) {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    return typeof json === 'function' ? redactBytes(json.call(value), depth + 1) : `<${(value as object).constructor?.name ?? 'object'}>`;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = typeof v === 'function' ? v : redactBytes(v, depth + 1);
  return out;
}

/**
 * Wraps an inspection observer so that no key bytes, request payloads or flash
 * contents reach it: events and snapshot contexts carry byte arrays only as their
 * length. An HSM's inspector is a debugging window, not an export path.
 */
export function redactingInspector(inspect: Inspect): (event: InspectionEvent) => void {
  const next = typeof inspect === 'function' ? inspect : (e: InspectionEvent) => inspect.next?.(e);
  return (event) => {
    const e = event as InspectionEvent & { event?: unknown; snapshot?: Record<string, unknown>; action?: { type: string; params?: unknown } };
    const safe: Record<string, unknown> = { ...e };
    if (e.event !== undefined) safe.event = redactBytes(e.event);
    if (e.snapshot && typeof e.snapshot === 'object') safe.snapshot = { ...e.snapshot, context: redactBytes(e.snapshot.context) };
    if (e.action) safe.action = { ...e.action, params: redactBytes(e.action.params) };
    next(safe as unknown as InspectionEvent);
  };
}
