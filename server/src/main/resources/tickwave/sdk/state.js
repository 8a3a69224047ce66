// One viewer's replicated state and how a snapshot changes it (docs/replication.md, "The wire format of
// Snapshot.state" and "State hash"). A state is a Map from entity id to an EntityRecord; records are
// never changed once built (an update makes a new one), so states of different ticks share the records
// of entities that did not change, and the interpolation buffer can keep old states for free.

import { BitReader, MalformedStateError, unzigzag } from './bits.js';
import { FieldKind } from './schema.js';

/** An entity as one state holds it: its type and each field's quantized value `q` (an int32). */
export class EntityRecord {
  /**
   * @param {number} id
   * @param {import('./schema.js').EntityType} type
   * @param {Int32Array} q one value per field of the type, in field-number order
   */
  constructor(id, type, q) {
    this.id = id;
    this.type = type;
    this.q = q;
  }
}

/**
 * Decodes `bytes` (a Snapshot.state) against `baseline` (the state at the snapshot's baseline_tick; an
 * empty Map for baseline 0) and returns the new state. `baseline` is left as it is.
 *
 * @param {import('./schema.js').Schema} schema
 * @param {Map<number, EntityRecord>} baseline
 * @param {Uint8Array} bytes
 * @returns {Map<number, EntityRecord>}
 * @throws {MalformedStateError} when the stream does not fit the format, the schema or the baseline
 */
export function applyState(schema, baseline, bytes) {
  const r = new BitReader(bytes);
  const state = new Map(baseline);

  let id = 0;
  for (let n = r.gamma(); n > 0; n--) {
    id += r.gamma() + 1;
    if (!state.delete(id)) {
      throw new MalformedStateError(`removal of entity ${id}, which the baseline does not have`);
    }
  }

  id = 0;
  const created = new Set();
  for (let n = r.gamma(); n > 0; n--) {
    id += r.gamma() + 1;
    created.add(id);
    const typeId = r.bits(schema.typeBits);
    const type = schema.typesById.get(typeId);
    if (!type) {
      throw new MalformedStateError(`entity ${id} of unknown type ${typeId}`);
    }
    const fields = type.fields;
    const q = new Int32Array(fields.length);
    for (let i = 0; i < fields.length; i++) {
      q[i] = readFull(r, fields[i]);
    }
    state.set(id, new EntityRecord(id, type, q));
  }

  id = 0;
  for (let n = r.gamma(); n > 0; n--) {
    id += r.gamma() + 1;
    const old = state.get(id);
    if (!old || created.has(id)) {
      throw new MalformedStateError(`update of entity ${id}, which the baseline does not have or this snapshot `
        + 'removes or creates');
    }
    const fields = old.type.fields;
    const changed = new Uint8Array(fields.length);
    for (let i = 0; i < fields.length; i++) {
      changed[i] = r.bit();
    }
    const q = Int32Array.from(old.q);
    for (let i = 0; i < fields.length; i++) {
      if (changed[i]) {
        q[i] = readDelta(r, fields[i], old.q[i]);
      }
    }
    state.set(id, new EntityRecord(id, old.type, q));
  }
  const left = r.bitLength - r.bitPosition;
  if (left > 7 || (left > 0 && r.bits(left) !== 0)) {
    throw new MalformedStateError(`${left} bits after the updates, or padding that is not zero`);
  }
  return state;
}

/** q of a fixed-width kind must not exceed the field's largest value (a QUANTIZED range is not a power of two). */
function inRange(field, q) {
  if (q < 0 || q > field.maxQ) {
    throw new MalformedStateError(`field ${field.name}: q ${q} outside 0..${field.maxQ}`);
  }
  return q;
}

const FLOAT_BITS = new DataView(new ArrayBuffer(4));

function readFull(r, field) {
  switch (field.kind) {
    case FieldKind.QUANTIZED:
    case FieldKind.ANGLE:
    case FieldKind.BOUNDED:
      return inRange(field, r.bits(field.bits));
    case FieldKind.BOOL:
      return r.bit();
    case FieldKind.UINT:
      return r.gamma() | 0;
    case FieldKind.SINT:
      return r.zigzagGamma();
    case FieldKind.FLOAT:
      return r.bits(32) | 0;
    default:
      throw new MalformedStateError(`field ${field.name} has kind ${field.kind}, which this SDK does not know`);
  }
}

function readDelta(r, field, old) {
  switch (field.kind) {
    case FieldKind.BOOL:
      return old ^ 1;
    case FieldKind.QUANTIZED:
    case FieldKind.ANGLE:
    case FieldKind.BOUNDED: {
      const b = field.bits;
      if (b <= 6) {
        return inRange(field, r.bits(b));
      }
      const c = r.bits(2);
      if (c === 3) {
        return inRange(field, r.bits(b));
      }
      const d = unzigzag(r.bits(field.deltaWidths[c]));
      if (field.kind === FieldKind.ANGLE) {
        const size = 2 ** b;
        return (((old + d) % size) + size) % size;
      }
      return inRange(field, (old + d) | 0);
    }
    case FieldKind.UINT:
    case FieldKind.SINT:
      return (old + r.zigzagGamma()) | 0;
    case FieldKind.FLOAT:
      return r.bits(32) | 0;
    default:
      throw new MalformedStateError(`field ${field.name} has kind ${field.kind}, which this SDK does not know`);
  }
}

/** The value a game sees for quantized value `q` of `field` (docs/replication.md, the kinds table). */
export function dequantize(field, q) {
  switch (field.kind) {
    case FieldKind.QUANTIZED:
      return field.min + q * field.precision;
    case FieldKind.ANGLE:
      return (q * 2 * Math.PI) / 2 ** field.bits;
    case FieldKind.BOOL:
      return q !== 0;
    case FieldKind.UINT:
      return q >>> 0;
    case FieldKind.FLOAT:
      FLOAT_BITS.setInt32(0, q, true);
      return FLOAT_BITS.getFloat32(0, true);
    default:
      return q;
  }
}

const FNV_OFFSET_BASIS = 2166136261 | 0;
const FNV_PRIME = 16777619;

function hashWord(h, word) {
  for (let shift = 0; shift < 32; shift += 8) {
    h = Math.imul(h ^ ((word >>> shift) & 0xff), FNV_PRIME);
  }
  return h;
}

/**
 * The state hash: FNV-1a (32 bits) over the little-endian bytes of, per entity in ascending id, its id,
 * its type id and each field's q. Returned unsigned, as Snapshot.state_hash carries it.
 *
 * @param {Map<number, EntityRecord>} state
 */
export function stateHash(state) {
  const ids = [...state.keys()].sort((a, b) => a - b);
  let h = FNV_OFFSET_BASIS;
  for (const id of ids) {
    const e = state.get(id);
    h = hashWord(h, id);
    h = hashWord(h, e.type.id);
    const q = e.q;
    for (let i = 0; i < q.length; i++) {
      h = hashWord(h, q[i]);
    }
  }
  return h >>> 0;
}
