// The replication schema a client decodes state with: Welcome.replication_schema, a
// tickwave.v1.ReplicationSchema (tickwave_options.proto), turned into plain objects the decoder reads.

import { bitLength } from './bits.js';

/** Field kinds, as docs/replication.md names them. */
export const FieldKind = Object.freeze({
  QUANTIZED: 'QUANTIZED',
  ANGLE: 'ANGLE',
  BOOL: 'BOOL',
  BOUNDED: 'BOUNDED',
  UINT: 'UINT',
  SINT: 'SINT',
  FLOAT: 'FLOAT',
});

/** tickwave.v1.FieldKind numbers, for a schema decoded with enums as numbers (protobufjs's default). */
const KIND_BY_NUMBER = [null, 'QUANTIZED', 'ANGLE', 'BOOL', 'BOUNDED', 'UINT', 'SINT', 'FLOAT'];

/** snake_case to lowerCamelCase, as protobufjs names fields by default. */
export function camelCase(name) {
  return name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/**
 * One field of an entity type.
 * - `name`: the key in entity objects (the proto field name, or its camelCase form)
 * - `kind`: a FieldKind; `bits`: B for QUANTIZED, ANGLE and BOUNDED
 * - `min`, `precision`: QUANTIZED only
 * - `deltaWidths`: the widths w0, w1, w2 of the delta code's classes 0..2 (B > 6)
 * - `maxQ`: the largest q of a fixed-width kind (QUANTIZED: ceil((max - min) / precision)); -1 for the others
 */
export class FieldSpec {
  constructor(index, name, protoName, kind, bits, min, precision, max) {
    this.index = index;
    this.name = name;
    this.protoName = protoName;
    this.kind = kind;
    this.bits = bits;
    this.min = min;
    this.precision = precision;
    this.max = max;
    this.deltaWidths = [Math.ceil(bits / 4), Math.ceil(bits / 2), Math.ceil((3 * bits) / 4)];
    if (kind === FieldKind.QUANTIZED && max > min && precision > 0) {
      this.maxQ = Math.ceil((max - min) / precision);
    } else if (kind === FieldKind.QUANTIZED || kind === FieldKind.ANGLE || kind === FieldKind.BOUNDED) {
      this.maxQ = 2 ** bits - 1;
    } else {
      this.maxQ = kind === FieldKind.BOOL ? 1 : -1;
    }
  }
}

/** One entity type: `id` (the type id on the wire), `name` (its full proto name, e.g. "arena.v1.Ship"), its fields. */
export class EntityType {
  constructor(id, name, priority, alwaysRelevant, fields, positionXField, positionYField) {
    this.id = id;
    this.name = name;
    this.priority = priority;
    this.alwaysRelevant = alwaysRelevant;
    /** @type {FieldSpec[]} in field-number order: index i is mask bit i */
    this.fields = fields;
    this.fieldsByName = new Map(fields.map((f) => [f.name, f]));
    this.positionXField = positionXField;
    this.positionYField = positionYField;
  }
}

/** A decoded schema: every entity type, by id and by name, and the width of a type id on the wire. */
export class Schema {
  constructor(types) {
    /** @type {EntityType[]} */
    this.types = types;
    this.typesById = new Map(types.map((t) => [t.id, t]));
    this.typesByName = new Map(types.map((t) => [t.name, t]));
    let largest = 0;
    for (const t of types) {
      largest = Math.max(largest, t.id);
    }
    this.typeBits = bitLength(largest);
  }

  /**
   * Builds the schema from Welcome.replication_schema: a protobufjs ReplicationSchema message (enums
   * as numbers) or a plain object of the same shape (camelCase or snake_case keys, kinds as numbers or
   * names).
   *
   * @param {object} message
   * @param {{camelCase?: boolean}} [options] camelCase: name entity fields as protobufjs names message
   *     fields (`player_id` becomes `playerId`); default false, the schema's own names
   */
  static from(message, options = {}) {
    const get = (o, snake) => (o[snake] !== undefined ? o[snake] : o[camelCase(snake)]);
    const types = [];
    for (const t of get(message, 'types') || []) {
      const fields = [];
      const rawFields = get(t, 'fields') || [];
      for (let i = 0; i < rawFields.length; i++) {
        const f = rawFields[i];
        const protoName = get(f, 'name');
        const rawKind = get(f, 'kind');
        const kind = typeof rawKind === 'number' ? KIND_BY_NUMBER[rawKind] : rawKind;
        if (!kind || !FieldKind[kind]) {
          throw new Error(`field ${protoName} of ${get(t, 'name')} has kind ${rawKind}, which this SDK does not know`);
        }
        fields.push(new FieldSpec(i, options.camelCase ? camelCase(protoName) : protoName, protoName, kind,
          Number(get(f, 'bits') || 0), Number(get(f, 'min') || 0), Number(get(f, 'precision') || 0),
          Number(get(f, 'max') || 0)));
      }
      const px = get(t, 'position_x_field');
      const py = get(t, 'position_y_field');
      types.push(new EntityType(Number(get(t, 'type_id')), get(t, 'name'), Number(get(t, 'priority') || 1),
        !!get(t, 'always_relevant'), fields, px === undefined ? -1 : px, py === undefined ? -1 : py));
    }
    return new Schema(types);
  }
}
