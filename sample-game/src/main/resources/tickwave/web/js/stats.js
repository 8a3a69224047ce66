// Rolling one-second counters for the HUD: frames, snapshots and received bytes per second.

export class RateMeter {
  constructor(windowMs = 1000) {
    this.windowMs = windowMs;
    this.events = [];
  }

  add(nowMs, amount = 1) {
    this.events.push({ at: nowMs, amount });
    this.trim(nowMs);
  }

  trim(nowMs) {
    while (this.events.length > 0 && this.events[0].at < nowMs - this.windowMs) {
      this.events.shift();
    }
  }

  /** Sum of amounts in the last window, scaled to one second. */
  perSecond(nowMs) {
    this.trim(nowMs);
    let sum = 0;
    for (const e of this.events) {
      sum += e.amount;
    }
    return sum * 1000 / this.windowMs;
  }
}
