// The interpolation buffer: the last few replicated states with the tick they belong to and the local
// time they arrived, and the blend of the two around a moment a little in the past, so that entities
// move smoothly at the display's frame rate from 20-30 snapshots a second.
//
// Clock: a state of tick T belongs to server time T * tickMs. `offset` (local arrival time minus server
// time) is estimated as the minimum over the last OFFSET_WINDOW arrivals (jitter only ever makes an
// arrival later), smoothed so that it never jumps. Render time is now - offset - delay, with delay two
// snapshot intervals (one lost or late snapshot still leaves one to blend towards) plus the measured
// jitter (the 90th percentile of how much later than the fastest one states arrive), capped. The delay
// grows quickly when jitter rises and shrinks slowly, so the render clock never jumps back.

import { FieldKind } from './schema.js';
import { dequantize } from './state.js';

const OFFSET_WINDOW = 60;
const MAX_JITTER_ALLOWANCE_MS = 150;
const TWO_PI = 2 * Math.PI;

/** An EntityRecord as a plain object: every field by name, dequantized, and `$type`, the type's proto name. */
export function entityObject(record) {
  const entity = { $type: record.type.name };
  const fields = record.type.fields;
  for (let i = 0; i < fields.length; i++) {
    entity[fields[i].name] = dequantize(fields[i], record.q[i]);
  }
  return entity;
}

function blendField(field, qa, qb, alpha) {
  if (field.kind === FieldKind.QUANTIZED) {
    const a = dequantize(field, qa);
    return a + (dequantize(field, qb) - a) * alpha;
  }
  if (field.kind === FieldKind.ANGLE) {
    const a = dequantize(field, qa);
    let d = dequantize(field, qb) - a;
    if (d > Math.PI) {
      d -= TWO_PI;
    } else if (d < -Math.PI) {
      d += TWO_PI;
    }
    const v = a + d * alpha;
    return v < 0 ? v + TWO_PI : v >= TWO_PI ? v - TWO_PI : v;
  }
  return dequantize(field, alpha < 0.5 ? qa : qb);
}

/**
 * The states of the last `keepMs` (at least two), oldest first. Owned by the page's main thread.
 */
export class InterpolationBuffer {
  /**
   * @param {object} options
   * @param {number} options.tickRate the room's ticks per second (Welcome.tick_rate)
   * @param {number} options.snapshotRate snapshots per second (Welcome.snapshot_rate)
   * @param {number} [options.keepMs=1500] how far back states are kept
   * @param {(from: object, to: object) => boolean} [options.shouldBlend] asked before an entity is blended
   *     between two states; false draws it as the nearer state has it (a teleport, a respawn)
   */
  constructor({ tickRate, snapshotRate, keepMs = 1500, shouldBlend = null }) {
    this.tickMs = 1000 / (tickRate || 30);
    this.snapshotIntervalMs = 1000 / (snapshotRate || tickRate || 30);
    this.baseDelayMs = 2 * this.snapshotIntervalMs;
    this.delayMs = this.baseDelayMs;
    this.jitterMs = 0;
    this.keepMs = keepMs;
    this.shouldBlend = shouldBlend;
    /** @type {{tick: number, receivedAtMs: number, state: Map<number, import('./state.js').EntityRecord>}[]} */
    this.entries = [];
    this.offsetSamples = [];
    this.offset = null;
    /** Frames drawn past the newest state (the buffer ran dry). */
    this.starvedFrames = 0;
  }

  /** Adds the state of `tick`, received at local time `receivedAtMs` (performance.now()). Older ticks are ignored. */
  push(tick, state, receivedAtMs) {
    const last = this.entries[this.entries.length - 1];
    if (last && tick <= last.tick) {
      return;
    }
    this.entries.push({ tick, receivedAtMs, state });
    const serverMs = tick * this.tickMs;
    while (this.entries.length > 2 && this.entries[0].tick * this.tickMs < serverMs - this.keepMs) {
      this.entries.shift();
    }
    this.offsetSamples.push(receivedAtMs - serverMs);
    if (this.offsetSamples.length > OFFSET_WINDOW) {
      this.offsetSamples.shift();
    }
    const target = Math.min(...this.offsetSamples);
    this.offset = this.offset === null ? target : this.offset + (target - this.offset) * 0.1;
    const lateness = this.offsetSamples.map((o) => o - target).sort((x, y) => x - y);
    this.jitterMs = Math.min(MAX_JITTER_ALLOWANCE_MS, lateness[Math.floor(lateness.length * 0.9)]);
    const wanted = this.baseDelayMs + this.jitterMs;
    this.delayMs += (wanted - this.delayMs) * (wanted > this.delayMs ? 0.2 : 0.02);
  }

  /** The (fractional) tick to draw at local time `nowMs`; 0 before any state. */
  renderTick(nowMs) {
    if (this.offset === null) {
      return 0;
    }
    return (nowMs - this.offset - this.delayMs) / this.tickMs;
  }

  /** The entities to draw at local time `nowMs`: `interpolate(renderTick(nowMs))`. */
  sample(nowMs) {
    return this.interpolate(this.renderTick(nowMs));
  }

  /**
   * The two states around `tick` and the fraction between them, or null while empty. Before the oldest
   * state: the oldest; after the newest: the newest, with `starved` set.
   */
  bracket(tick) {
    const n = this.entries.length;
    if (n === 0) {
      return null;
    }
    if (tick <= this.entries[0].tick) {
      return { from: this.entries[0], to: this.entries[0], alpha: 0, starved: false };
    }
    for (let i = n - 1; i > 0; i--) {
      const from = this.entries[i - 1];
      if (from.tick <= tick) {
        const to = this.entries[i];
        if (tick >= to.tick) {
          break;
        }
        return { from, to, alpha: (tick - from.tick) / (to.tick - from.tick), starved: false };
      }
    }
    const newest = this.entries[n - 1];
    return { from: newest, to: newest, alpha: 0, starved: true };
  }

  /**
   * The entities at a fractional tick: every entity of the later state of the two around it, as a plain
   * object (see entityObject). An entity in both is blended: QUANTIZED fields linearly, ANGLE fields
   * the short way round, the others as the nearer state has them. An entity only in the later state is
   * as that state has it; one only in the earlier state is left out.
   *
   * @returns {{tick: number, entities: Map<number, object>, starved: boolean}}
   */
  interpolate(tick) {
    const br = this.bracket(tick);
    const entities = new Map();
    if (!br) {
      return { tick, entities, starved: true };
    }
    if (br.starved) {
      this.starvedFrames++;
    }
    const { from, to, alpha } = br;
    for (const [id, b] of to.state) {
      const a = from.state.get(id);
      if (!a || a === b || a.type !== b.type) {
        entities.set(id, entityObject(b));
        continue;
      }
      if (this.shouldBlend && !this.shouldBlend(entityObject(a), entityObject(b))) {
        entities.set(id, entityObject(alpha < 0.5 ? a : b));
        continue;
      }
      const entity = { $type: b.type.name };
      const fields = b.type.fields;
      for (let i = 0; i < fields.length; i++) {
        entity[fields[i].name] = blendField(fields[i], a.q[i], b.q[i], alpha);
      }
      entities.set(id, entity);
    }
    return { tick, entities, starved: br.starved };
  }

  /** The newest entry, or null. */
  newest() {
    return this.entries[this.entries.length - 1] || null;
  }
}
