// One wire transformer for the engine and both web apps: Decimal crosses the wire as a decimal string and
// arrives as a Decimal (style.md: money and prices are never JS numbers); Date and bigint come back as
// themselves too. Keep this file free of server code.
//
// Wire format: `{ json, meta? }`. `json` is plain JSON — a Decimal is its exact decimal string, a Date its
// ISO-8601 string, a bigint its decimal string — so a client without this transformer can still read every
// figure. `meta` is present only when the value holds such types: a tree that follows only the branches that
// lead to them (object keys, array indices) with a one-letter tag at each leaf ('D' Decimal, 'T' Date,
// 'B' bigint). A request body `{ "json": … }` with no meta (what a plain JSON client sends) is taken as is.
//
// Why not superjson (used before): it builds a path string for every special value and walks the result
// twice; on the order path that was ~80 µs per response of engine CPU and as much again in every client.
import { Decimal } from 'decimal.js';

type Tag = 'D' | 'T' | 'B';
type MetaNode = Tag | { [key: string]: MetaNode };

export interface Wire {
  json: unknown;
  meta?: MetaNode;
}

/** Returns the JSON form of `v`, and records in `out.m` the meta tree of what it holds (undefined when plain). */
function encode(v: unknown, out: { m: MetaNode | undefined }): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'bigint') {
      out.m = 'B';
      return v.toString();
    }
    out.m = undefined;
    return v;
  }
  if (v instanceof Decimal) {
    out.m = 'D';
    return v.toString();
  }
  if (v instanceof Date) {
    out.m = 'T';
    // An invalid Date serialises as null, as JSON.stringify would.
    return Number.isNaN(v.getTime()) ? null : v.toISOString();
  }
  if (Array.isArray(v)) {
    let meta: Record<string, MetaNode> | undefined;
    const arr = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === null || (typeof x !== 'object' && typeof x !== 'bigint')) {
        arr[i] = x === undefined ? null : x;
        continue;
      }
      arr[i] = encode(x, out);
      if (out.m !== undefined) (meta ??= {})[i] = out.m;
    }
    out.m = meta;
    return arr;
  }
  if (Decimal.isDecimal(v)) {
    // A Decimal from another copy of decimal.js (bundlers can load two).
    out.m = 'D';
    return (v as Decimal).toString();
  }
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    out.m = undefined;
    return (v as { toJSON(): unknown }).toJSON();
  }
  let meta: Record<string, MetaNode> | undefined;
  const obj: Record<string, unknown> = {};
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    if (x === null || (typeof x !== 'object' && typeof x !== 'bigint')) {
      obj[k] = x;
      continue;
    }
    obj[k] = encode(x, out);
    if (out.m !== undefined) (meta ??= {})[k] = out.m;
  }
  out.m = meta;
  return obj;
}

// Meta and values come from the network: a tagged leaf must be a short string of its kind, or the body is
// refused as a parse error (never a 500, never a huge number to format later).
const DECIMAL_WIRE = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d{1,5})?$/i;
const BIGINT_WIRE = /^-?\d{1,20}$/;
function revive(v: unknown, tag: Tag): unknown {
  if (v === null) return null;
  switch (tag) {
    case 'D':
      if (typeof v !== 'string' || v.length > 100 || !DECIMAL_WIRE.test(v)) throw new SyntaxError('Not a decimal');
      return new Decimal(v);
    case 'T':
      if (typeof v !== 'string' || v.length > 40) throw new SyntaxError('Not a date');
      return new Date(v);
    case 'B':
      if (typeof v !== 'string' || !BIGINT_WIRE.test(v)) throw new SyntaxError('Not an integer');
      return BigInt(v);
    default:
      return v;
  }
}

/** Applies the meta tree to the JSON value in place (the value came from JSON.parse and is ours). */
function decode(v: unknown, meta: MetaNode): unknown {
  if (typeof meta === 'string') return revive(v, meta);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  for (const k in meta) {
    // Meta comes from the network: only the value's own keys, never the prototype's.
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    if (Object.prototype.hasOwnProperty.call(meta, k) && Object.prototype.hasOwnProperty.call(o, k)) o[k] = decode(o[k], meta[k]!);
  }
  return v;
}

export const transformer = {
  serialize(value: unknown): Wire {
    const out: { m: MetaNode | undefined } = { m: undefined };
    const json = encode(value, out);
    return out.m === undefined ? { json } : { json, meta: out.m };
  },
  deserialize<T = unknown>(wire: unknown): T {
    // Like superjson: a body without the envelope carries nothing (`undefined` serialises to `{}`).
    if (wire === null || typeof wire !== 'object' || !('json' in wire)) return undefined as T;
    const { json, meta } = wire as Wire;
    if (meta === undefined || meta === null) return json as T;
    if (typeof meta !== 'string' && typeof meta !== 'object') return json as T;
    return decode(json, meta) as T;
  },
};

export { Decimal };
