// Client-side prediction of our own ship, with server reconciliation.
//
// Every input we send (30 per second, each standing for 1/30 s of movement) is applied locally at once
// and kept in `pending` until a snapshot's ack_input_seq says the server has applied it. On each
// snapshot we restart from the server's position of our ship and replay the inputs it has not applied
// yet. If that lands somewhere else than where we had predicted (a rare misprediction: a dropped input,
// a movement-budget cut), the difference is not shown as a jump: it becomes a visual offset that decays
// over ~100 ms. Respawns and other teleports (> SNAP_DISTANCE) snap at once.

import { moveShip } from './movement.js';

const SNAP_DISTANCE = 120;
const CORRECTION_HALF_LIFE_MS = 60;

export class OwnShipPredictor {
  /** @param arena the welcome's ArenaInfo */
  constructor(arena) {
    this.arena = arena;
    this.stepSeconds = 1 / (arena.inputRateHz || 30);
    this.pending = [];
    this.previous = { x: 0, y: 0 };
    this.current = { x: 0, y: 0 };
    this.offset = { x: 0, y: 0 };
    this.alive = false;
    this.known = false;
    this.acknowledged = { x: 0, y: 0, seq: 0, tick: 0 };
    this.lastCorrection = 0;
    this.corrections = 0;
  }

  /** Applies one input we are about to send. */
  applyLocal(seq, moveX, moveY) {
    this.previous.x = this.current.x;
    this.previous.y = this.current.y;
    if (this.known && this.alive) {
      moveShip(this.arena, this.current, moveX, moveY, this.stepSeconds);
    }
    this.pending.push({ seq, moveX, moveY });
    if (this.pending.length > 120) {
      this.pending.shift();
    }
  }

  /** A snapshot arrived: our ship as the server has it, after our input `ackSeq`. */
  reconcile(serverShip, ackSeq, tick) {
    while (this.pending.length > 0 && this.pending[0].seq <= ackSeq) {
      this.pending.shift();
    }
    this.acknowledged = { x: serverShip.x, y: serverShip.y, seq: ackSeq, tick };
    const wasAlive = this.alive;
    this.alive = !!serverShip.alive;
    const replayed = { x: serverShip.x, y: serverShip.y };
    if (this.alive) {
      for (const input of this.pending) {
        moveShip(this.arena, replayed, input.moveX, input.moveY, this.stepSeconds);
      }
    }
    const dx = replayed.x - this.current.x;
    const dy = replayed.y - this.current.y;
    const distance = Math.hypot(dx, dy);
    this.lastCorrection = distance;
    if (distance > 0.01) {
      this.corrections++;
    }
    if (!this.known || !this.alive || !wasAlive || distance > SNAP_DISTANCE) {
      this.current.x = this.previous.x = replayed.x;
      this.current.y = this.previous.y = replayed.y;
      this.offset.x = this.offset.y = 0;
      this.known = true;
      return;
    }
    // Keep what is on screen where it is; let the offset fade the difference out.
    this.current.x = replayed.x;
    this.current.y = replayed.y;
    this.previous.x += dx;
    this.previous.y += dy;
    this.offset.x -= dx;
    this.offset.y -= dy;
  }

  /** Fades the correction offset; call once per frame. */
  decay(frameMs) {
    const keep = Math.pow(0.5, frameMs / CORRECTION_HALF_LIFE_MS);
    this.offset.x *= keep;
    this.offset.y *= keep;
  }

  /** Where to draw our ship: between the last two predicted steps (`alpha` in [0, 1]) plus the fading offset. */
  renderPosition(alpha) {
    return {
      x: this.previous.x + (this.current.x - this.previous.x) * alpha + this.offset.x,
      y: this.previous.y + (this.current.y - this.previous.y) * alpha + this.offset.y,
    };
  }
}
