/**
 * Replicated state rebuilt in the page (docs/replication.md, "The browser SDK"): the Replica, one
 * viewer's world by snapshot tick, with its callbacks and interpolation buffer. Knows no game and no
 * connection; TickwaveClient (client.js) builds one per Welcome. Everything runs on the page's main thread.
 */

import { applyState, stateHash } from './state.js';
import { Schema } from './schema.js';
import { InterpolationBuffer, entityObject } from './interpolation.js';

/** uint64 fields decode as numbers without long.js, as Long objects with it. */
export function toNumber(v) {
  if (typeof v === 'number') {
    return v;
  }
  if (v && typeof v.toNumber === 'function') {
    return v.toNumber();
  }
  return Number(v || 0);
}

/**
 * A problem with the state the server sent, reported through the `error` callback. `kind` is one of
 * 'hash-mismatch' (the state after a snapshot does not hash to its state_hash: client and server
 * disagree, the view may be wrong until a full snapshot), 'missing-baseline' (a snapshot against a
 * state this client does not hold; it is skipped), 'malformed' (a state that does not decode; skipped).
 */
export class ReplicationError extends Error {
  constructor(kind, tick, message, details = {}) {
    super(message);
    this.name = 'ReplicationError';
    this.kind = kind;
    this.tick = tick;
    Object.assign(this, details);
  }
}

const NOTHING = () => {};
const EMPTY = new Map();

/**
 * One viewer's replicated world: the states it holds by tick, the newest one as live entity objects,
 * the interpolation buffer, and the callbacks. Build one per Welcome (a new session starts empty).
 */
export class Replica {
  /**
   * @param {object} schemaMessage Welcome.replication_schema, as protobufjs decodes it (or a plain object alike)
   * @param {object} [options]
   * @param {number} [options.tickRate] Welcome.tick_rate, for the interpolation clock
   * @param {number} [options.snapshotRate] Welcome.snapshot_rate
   * @param {boolean} [options.camelCase=false] name fields as protobufjs does (`player_id` -> `playerId`)
   * @param {object} [options.eventType] a protobufjs Type to decode GameEvent.payload with
   * @param {(id: number, entity: object) => void} [options.added]
   * @param {(id: number, entity: object, changedFieldNames: string[]) => void} [options.changed]
   * @param {(id: number, entity: object) => void} [options.removed] entity: its last values
   * @param {(payload: object|Uint8Array, tick: number) => void} [options.event]
   * @param {(error: ReplicationError) => void} [options.error] default: console.error
   * @param {(from: object, to: object) => boolean} [options.shouldBlend] see InterpolationBuffer
   * @param {number} [options.keepMs] see InterpolationBuffer
   */
  constructor(schemaMessage, options = {}) {
    this.schema = Schema.from(schemaMessage || {}, { camelCase: !!options.camelCase });
    this.eventType = options.eventType || null;
    this.added = options.added || NOTHING;
    this.changed = options.changed || NOTHING;
    this.removed = options.removed || NOTHING;
    this.event = options.event || NOTHING;
    this.error = options.error || ((e) => console.error(e));
    /** States this client may still be sent a delta against, by tick (ascending). */
    this.states = new Map();
    /** The newest state applied. */
    this.current = EMPTY;
    /** The newest snapshot's tick (0: none yet). */
    this.tick = 0;
    /** The newest state as live entity objects, by id. */
    this.entities = new Map();
    this.buffer = new InterpolationBuffer({
      tickRate: options.tickRate, snapshotRate: options.snapshotRate,
      keepMs: options.keepMs, shouldBlend: options.shouldBlend,
    });
    /** Snapshots whose state_hash was checked, and how many matched. */
    this.hashesChecked = 0;
    this.hashMismatches = 0;
  }

  /**
   * Takes a decoded ServerMessage: applies a snapshot, delivers a game event. Returns true when it was one of those.
   * @param {number} [receivedAtMs] when it arrived (performance.now())
   */
  handle(serverMessage, receivedAtMs = performance.now()) {
    if (serverMessage.snapshot) {
      this.applySnapshot(serverMessage.snapshot, receivedAtMs);
      return true;
    }
    if (serverMessage.event) {
      this.deliverEvent(serverMessage.event);
      return true;
    }
    return false;
  }

  /**
   * Applies a Snapshot ({tick, baselineTick, state, stateHash}) to the state at its baseline, keeps the
   * result as the state at its tick, drops the states older than the baseline, and calls back for what
   * changed since the newest state. Returns false when it was skipped (old, or see ReplicationError).
   */
  applySnapshot(snapshot, receivedAtMs = performance.now()) {
    const tick = toNumber(snapshot.tick);
    const baselineTick = toNumber(snapshot.baselineTick ?? snapshot.baseline_tick);
    if (tick <= this.tick) {
      return false;
    }
    const baseline = baselineTick === 0 ? EMPTY : this.states.get(baselineTick);
    if (!baseline) {
      this.error(new ReplicationError('missing-baseline', tick,
        `snapshot ${tick} is a delta against tick ${baselineTick}, which this client does not hold`,
        { baselineTick }));
      return false;
    }
    let state;
    try {
      state = applyState(this.schema, baseline, snapshot.state || new Uint8Array(0));
    } catch (e) {
      this.error(new ReplicationError('malformed', tick, `snapshot ${tick}: ${e.message}`, { cause: e }));
      return false;
    }
    this.states.set(tick, state);
    for (const t of this.states.keys()) {
      if (t >= baselineTick) {
        break;
      }
      this.states.delete(t);
    }
    const previous = this.current;
    this.current = state;
    this.tick = tick;
    this.buffer.push(tick, state, receivedAtMs);
    this.checkHash(snapshot, tick, state);
    this.notify(previous, state);
    return true;
  }

  checkHash(snapshot, tick, state) {
    const expected = snapshot.stateHash ?? snapshot.state_hash;
    // A snapshot without a hash leaves it unset (proto3 optional); a plain uint32 of 0 means none too.
    if (expected === undefined || expected === null || (expected === 0 && !hasOwn(snapshot, 'stateHash'))) {
      return;
    }
    this.hashesChecked++;
    const actual = stateHash(state);
    if (actual !== toNumber(expected) >>> 0) {
      this.hashMismatches++;
      this.error(new ReplicationError('hash-mismatch', tick,
        `the state at tick ${tick} hashes to ${actual}, the server's to ${toNumber(expected) >>> 0}`,
        { expected: toNumber(expected) >>> 0, actual }));
    }
  }

  notify(previous, state) {
    for (const [id, before] of previous) {
      const after = state.get(id);
      if (!after || after.type !== before.type) {
        const entity = this.entities.get(id);
        this.entities.delete(id);
        this.removed(id, entity);
      }
    }
    for (const [id, after] of state) {
      const before = previous.get(id);
      if (!before || before.type !== after.type) {
        const entity = entityObject(after);
        this.entities.set(id, entity);
        this.added(id, entity);
      } else if (before !== after) {
        const fields = after.type.fields;
        const entity = this.entities.get(id);
        const fresh = entityObject(after);
        const names = [];
        for (let i = 0; i < fields.length; i++) {
          if (before.q[i] !== after.q[i]) {
            names.push(fields[i].name);
            entity[fields[i].name] = fresh[fields[i].name];
          }
        }
        if (names.length > 0) {
          this.changed(id, entity, names);
        }
      }
    }
  }

  /** Hands a GameEvent ({tick, payload}) to the event callback, its payload decoded with eventType if given. */
  deliverEvent(gameEvent) {
    const payload = gameEvent.payload || new Uint8Array(0);
    const tick = toNumber(gameEvent.tick);
    let decoded = payload;
    if (this.eventType) {
      try {
        decoded = this.eventType.decode(payload);
      } catch (e) {
        this.error(new ReplicationError('malformed', tick, `event at tick ${tick}: ${e.message}`, { cause: e }));
        return;
      }
    }
    this.event(decoded, tick);
  }

  /** The type (schema EntityType) of entity `id` in the newest state, or undefined. */
  typeOf(id) {
    const record = this.current.get(id);
    return record ? record.type : undefined;
  }

  /** The hash of the newest state, as Snapshot.state_hash would carry it. */
  stateHash() {
    return stateHash(this.current);
  }
}

function hasOwn(o, key) {
  return Object.prototype.hasOwnProperty.call(o, key);
}
