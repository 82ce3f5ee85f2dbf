/**
 * Nothing crosses the owner's boundary by reference: results leave as copies and
 * arguments enter as copies, so no caller can change what another one sees (or
 * what the owner stores) by mutating an object it was handed.
 *
 * Plain data only: objects, arrays, typed arrays, primitives. Objects that are not
 * plain (a session's key cache handed in by design) pass through as they are.
 */
export function detach<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value.slice() as T;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = detach(value[i] as unknown);
    return out as T;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  // for-in over a plain object: no entries array per copy (this runs once per owner answer).
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) out[k] = detach(src[k]);
  return out as T;
}

/**
 * An owner answer as it leaves: `{ rc }` is built per call and needs no copy; a
 * value is copied (a byte array by one slice, the rest by `detach`).
 */
export function detachResult<T>(result: T): T {
  if (result === null || typeof result !== 'object') return result;
  const v = (result as { value?: unknown }).value;
  if (v === undefined || v === null || typeof v !== 'object') return result;
  const rc = (result as { rc?: unknown }).rc;
  if (rc === undefined) return detach(result);
  return { rc, value: v instanceof Uint8Array ? v.slice() : detach(v) } as T;
}
