// Entity interpolation: other ships and bullets are drawn where they were a little in the past, between
// the two snapshots around that moment, so they move smoothly at 60 fps from 20–30 snapshots/s.
//
// Clock: a snapshot of tick T belongs to server time T × tickMs. We estimate `offset` = local arrival
// time − server time as the minimum over the last OFFSET_WINDOW snapshots (the least-delayed arrival;
// jitter only ever makes arrivals later, never earlier), smoothed so it never jumps. Render time is
// now − offset − delay, with delay = two snapshot intervals plus the measured arrival jitter (the 90th
// percentile of how much later than the fastest one snapshots arrive; a few ms on a quiet network).
// Two intervals: one dropped snapshot still leaves a later one to interpolate towards; the jitter term
// keeps a busy browser or network from running the buffer dry. The delay grows quickly when jitter
// rises and shrinks slowly, so the render clock never jumps.

const OFFSET_WINDOW = 60;
const KEEP_MS = 1500;
const TELEPORT_DISTANCE = 150;
const MAX_JITTER_ALLOWANCE_MS = 150;

function lerp(a, b, t) {
  return a + (b - a) * t;
}

function lerpAngle(a, b, t) {
  let d = b - a;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return a + d * t;
}

/** A decoded Ship as a plain object (protobufjs keeps default values on the prototype). */
export function plainShip(s) {
  return {
    playerId: s.playerId, x: s.x, y: s.y, aim: s.aim, health: s.health, alive: !!s.alive,
    score: s.score, deaths: s.deaths, respawnMs: s.respawnMs, shielded: !!s.shielded, rapidFire: !!s.rapidFire,
  };
}

export class SnapshotTimeline {
  constructor(tickRateHz, snapshotRateHz) {
    this.tickMs = 1000 / tickRateHz;
    this.snapshotIntervalMs = 1000 / snapshotRateHz;
    this.baseDelayMs = 2 * this.snapshotIntervalMs;
    this.delayMs = this.baseDelayMs;
    this.jitterMs = 0;
    this.entries = [];
    this.offsetSamples = [];
    this.offset = null;
    this.lastRenderServerMs = 0;
    this.starvedFrames = 0;
  }

  /** Adds a decoded snapshot: `state` is the ArenaState, `arrivalMs` the local clock (performance.now()). */
  push(tick, state, arrivalMs) {
    const serverMs = tick * this.tickMs;
    const last = this.entries[this.entries.length - 1];
    if (last && tick <= last.tick) {
      return;
    }
    const ships = new Map();
    for (const s of state.ships) {
      ships.set(s.playerId, plainShip(s));
    }
    const bullets = new Map();
    for (const b of state.bullets) {
      bullets.set(b.id, { id: b.id, ownerId: b.ownerId, x: b.x, y: b.y, vx: b.vx, vy: b.vy });
    }
    this.entries.push({ tick, serverMs, arrivalMs, ships, bullets, state });
    while (this.entries.length > 2 && this.entries[0].serverMs < serverMs - KEEP_MS) {
      this.entries.shift();
    }
    this.offsetSamples.push(arrivalMs - serverMs);
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

  /** The server time to draw at the local time `nowMs`. */
  renderServerMs(nowMs) {
    if (this.offset === null) {
      return 0;
    }
    return nowMs - this.offset - this.delayMs;
  }

  /** The two snapshots around server time `t` and the fraction between them; null before any snapshot. */
  bracket(t) {
    const n = this.entries.length;
    if (n === 0) {
      return null;
    }
    if (t <= this.entries[0].serverMs) {
      return { a: this.entries[0], b: this.entries[0], alpha: 0 };
    }
    for (let i = n - 1; i > 0; i--) {
      const a = this.entries[i - 1];
      if (a.serverMs <= t) {
        const b = this.entries[i];
        if (t >= b.serverMs) {
          break;
        }
        return { a, b, alpha: (t - a.serverMs) / (b.serverMs - a.serverMs) };
      }
    }
    // Past the newest snapshot: the buffer ran dry (a long stall). Hold the newest state.
    const newest = this.entries[n - 1];
    return { a: newest, b: newest, alpha: 0, starved: true };
  }

  /**
   * Interpolated ships and bullets at local time `nowMs`:
   * { ships: [{playerId, x, y, aim, alive, health, ...}], bullets: [{id, ownerId, x, y}], t, starved }.
   */
  sample(nowMs) {
    const t = this.renderServerMs(nowMs);
    const br = this.bracket(t);
    if (!br) {
      return { ships: [], bullets: [], t, starved: true };
    }
    this.lastRenderServerMs = t;
    if (br.starved) {
      this.starvedFrames++;
    }
    const { a, b, alpha } = br;
    const ships = [];
    for (const [id, sb] of b.ships) {
      const sa = a.ships.get(id);
      if (!sa || sa.alive !== sb.alive
          || Math.hypot(sb.x - sa.x, sb.y - sa.y) > TELEPORT_DISTANCE) {
        ships.push(alpha < 0.5 && sa ? sa : sb);
        continue;
      }
      ships.push({
        ...sb,
        x: lerp(sa.x, sb.x, alpha),
        y: lerp(sa.y, sb.y, alpha),
        aim: lerpAngle(sa.aim, sb.aim, alpha),
      });
    }
    // Bullets fly straight: place each one on its line from the newest snapshot that has it.
    const bullets = [];
    for (const [id, bb] of b.bullets) {
      const ba = a.bullets.get(id);
      if (ba) {
        bullets.push({ id, ownerId: bb.ownerId, x: lerp(ba.x, bb.x, alpha), y: lerp(ba.y, bb.y, alpha) });
      } else {
        const back = (b.serverMs - t) / 1000;
        bullets.push({ id, ownerId: bb.ownerId, x: bb.x - bb.vx * back, y: bb.y - bb.vy * back, fresh: true });
      }
    }
    return { ships, bullets, t, starved: !!br.starved };
  }

  newest() {
    return this.entries[this.entries.length - 1] || null;
  }
}
