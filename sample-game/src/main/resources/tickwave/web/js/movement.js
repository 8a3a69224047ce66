// The arena's movement function, the same steps as the server's ShipMovement.java, in the same order
// with the same doubles, so that predicting our own ship lands where the server will put it.
// Change both together.

function clamp(v, lo, hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/**
 * Moves `ship` ({x, y}, changed in place) for `seconds` in direction (moveX, moveY), each clamped to
 * [-1, 1]. `arena` is the welcome's ArenaInfo: width, height, obstacles, shipSpeed, shipRadius.
 */
export function moveShip(arena, ship, moveX, moveY, seconds) {
  const mx = Math.max(-1, Math.min(1, moveX | 0));
  const my = Math.max(-1, Math.min(1, moveY | 0));
  if (mx === 0 && my === 0) {
    return;
  }
  const len = Math.sqrt(mx * mx + my * my);
  const step = arena.shipSpeed * seconds;
  let x = ship.x + mx / len * step;
  let y = ship.y + my / len * step;
  const r = arena.shipRadius;
  const obstacles = arena.obstacles;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < obstacles.length; i++) {
      const o = obstacles[i];
      const right = o.x + o.w;
      const bottom = o.y + o.h;
      const cx = clamp(x, o.x, right);
      const cy = clamp(y, o.y, bottom);
      const dx = x - cx;
      const dy = y - cy;
      const d2 = dx * dx + dy * dy;
      if (d2 >= r * r) {
        continue;
      }
      if (d2 > 1e-12) {
        const d = Math.sqrt(d2);
        x = cx + dx / d * r;
        y = cy + dy / d * r;
      } else {
        const left = x - o.x;
        const toRight = right - x;
        const top = y - o.y;
        const toBottom = bottom - y;
        const least = Math.min(Math.min(left, toRight), Math.min(top, toBottom));
        if (least === left) {
          x = o.x - r;
        } else if (least === toRight) {
          x = right + r;
        } else if (least === top) {
          y = o.y - r;
        } else {
          y = bottom + r;
        }
      }
    }
    x = clamp(x, r, arena.width - r);
    y = clamp(y, r, arena.height - r);
  }
  ship.x = x;
  ship.y = y;
}
