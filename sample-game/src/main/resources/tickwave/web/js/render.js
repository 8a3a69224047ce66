// Draws the arena on a Canvas 2D: world, ships, bullets, pickups, effects, minimap and the debug overlay.
// Pure drawing: everything it shows is passed in per frame.

export function playerHue(id) {
  return (id * 137.508) % 360;
}

export function playerColor(id, lightness = 58) {
  return `hsl(${playerHue(id)}, 80%, ${lightness}%)`;
}

export class ArenaRenderer {
  constructor(canvas, arena) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.arena = arena;
    this.scale = 1;
    this.width = 0;
    this.height = 0;
  }

  resize() {
    const dpr = window.devicePixelRatio || 1;
    const w = window.innerWidth;
    const h = window.innerHeight;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    this.dpr = dpr;
    this.width = w;
    this.height = h;
    this.scale = Math.max(0.45, Math.min(1.2, Math.min(w / 1350, h / 860)));
  }

  /** World point → CSS pixel, for the camera centred on (cx, cy). */
  toScreen(cx, cy, x, y) {
    return { x: (x - cx) * this.scale + this.width / 2, y: (y - cy) * this.scale + this.height / 2 };
  }

  /**
   * view: { camera:{x,y}, now, ownId, own:{x,y,aim,alive,health,shielded,rapidFire}|null, ships:[...],
   *   bullets:[...], pickups:[...], names:Map, effects:[...], debug:null|{...} }
   */
  draw(view) {
    this.resize();
    const ctx = this.ctx;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = '#05070d';
    ctx.fillRect(0, 0, this.width, this.height);

    ctx.save();
    ctx.translate(this.width / 2, this.height / 2);
    ctx.scale(this.scale, this.scale);
    ctx.translate(-view.camera.x, -view.camera.y);
    this.drawFloor();
    this.drawPickups(view.pickups, view.now);
    this.drawObstacles();
    for (const b of view.bullets) {
      this.drawBullet(b);
    }
    for (const s of view.ships) {
      if (s.playerId !== view.ownId && s.alive) {
        this.drawShip(s, view.names.get(s.playerId) || `#${s.playerId}`, false, view.now);
      }
    }
    if (view.own && view.own.alive) {
      this.drawShip(view.own, view.names.get(view.ownId) || 'you', true, view.now);
    }
    this.drawEffects(view.effects, view.now);
    if (view.debug) {
      this.drawDebugWorld(view.debug);
    }
    ctx.restore();

    this.drawMinimap(view);
    if (view.own && view.own.alive && view.crosshair) {
      this.drawCrosshair(view.crosshair.x, view.crosshair.y);
    }
    if (view.debug) {
      this.drawDebugPanel(view.debug);
    }
  }

  drawFloor() {
    const ctx = this.ctx;
    const { width, height } = this.arena;
    ctx.fillStyle = '#0b1020';
    ctx.fillRect(0, 0, width, height);
    ctx.strokeStyle = 'rgba(90, 130, 220, 0.10)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let x = 0; x <= width; x += 80) {
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
    }
    for (let y = 0; y <= height; y += 80) {
      ctx.moveTo(0, y);
      ctx.lineTo(width, y);
    }
    ctx.stroke();
    ctx.strokeStyle = 'rgba(110, 170, 255, 0.7)';
    ctx.lineWidth = 4;
    ctx.strokeRect(0, 0, width, height);
  }

  drawObstacles() {
    const ctx = this.ctx;
    for (const o of this.arena.obstacles) {
      ctx.fillStyle = '#1c2742';
      ctx.fillRect(o.x, o.y, o.w, o.h);
      ctx.strokeStyle = '#4c6aa8';
      ctx.lineWidth = 2;
      ctx.strokeRect(o.x + 1, o.y + 1, o.w - 2, o.h - 2);
    }
  }

  drawPickups(pickups, now) {
    const ctx = this.ctx;
    for (const p of pickups) {
      const pulse = 1 + 0.12 * Math.sin(now / 180 + p.id);
      const repair = p.kind === 1;
      ctx.save();
      ctx.translate(p.x, p.y);
      ctx.scale(pulse, pulse);
      const glow = ctx.createRadialGradient(0, 0, 8, 0, 0, 26);
      glow.addColorStop(0, repair ? 'rgba(61, 255, 138, 0.45)' : 'rgba(255, 210, 61, 0.45)');
      glow.addColorStop(1, 'rgba(0, 0, 0, 0)');
      ctx.fillStyle = glow;
      ctx.beginPath();
      ctx.arc(0, 0, 26, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = repair ? 'rgba(40, 200, 110, 0.85)' : 'rgba(240, 190, 40, 0.85)';
      ctx.beginPath();
      ctx.arc(0, 0, 13, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = '#fff';
      if (repair) {
        ctx.fillRect(-7, -2.5, 14, 5);
        ctx.fillRect(-2.5, -7, 5, 14);
      } else {
        ctx.beginPath();
        ctx.moveTo(2, -9);
        ctx.lineTo(-5, 1);
        ctx.lineTo(0, 1);
        ctx.lineTo(-2, 9);
        ctx.lineTo(5, -1);
        ctx.lineTo(0, -1);
        ctx.closePath();
        ctx.fill();
      }
      ctx.restore();
    }
  }

  drawBullet(b) {
    const ctx = this.ctx;
    const r = this.arena.bulletRadius || 4;
    ctx.fillStyle = `hsla(${playerHue(b.ownerId)}, 90%, 60%, 0.25)`;
    ctx.beginPath();
    ctx.arc(b.x, b.y, r * 2.6, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = playerColor(b.ownerId, 78);
    ctx.beginPath();
    ctx.arc(b.x, b.y, r, 0, Math.PI * 2);
    ctx.fill();
  }

  drawShip(s, name, own, now) {
    const ctx = this.ctx;
    const r = this.arena.shipRadius;
    const color = playerColor(s.playerId);
    ctx.save();
    ctx.translate(s.x, s.y);
    if (s.shielded) {
      ctx.strokeStyle = `rgba(140, 220, 255, ${0.45 + 0.25 * Math.sin(now / 90)})`;
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.arc(0, 0, r + 8, 0, Math.PI * 2);
      ctx.stroke();
    }
    const glow = ctx.createRadialGradient(0, 0, r * 0.4, 0, 0, r * 1.9);
    glow.addColorStop(0, s.rapidFire ? 'rgba(255, 210, 61, 0.45)' : `hsla(${playerHue(s.playerId)}, 90%, 60%, ${own ? 0.4 : 0.28})`);
    glow.addColorStop(1, 'rgba(0, 0, 0, 0)');
    ctx.fillStyle = glow;
    ctx.beginPath();
    ctx.arc(0, 0, r * 1.9, 0, Math.PI * 2);
    ctx.fill();
    ctx.rotate(s.aim);
    ctx.fillStyle = color;
    ctx.strokeStyle = own ? '#ffffff' : playerColor(s.playerId, 80);
    ctx.lineWidth = own ? 2.5 : 1.5;
    ctx.beginPath();
    ctx.moveTo(r * 1.35, 0);
    ctx.lineTo(-r * 0.9, r * 0.95);
    ctx.lineTo(-r * 0.45, 0);
    ctx.lineTo(-r * 0.9, -r * 0.95);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
    if (s.hitFlash > 0) {
      ctx.fillStyle = `rgba(255, 255, 255, ${s.hitFlash})`;
      ctx.fill();
    }
    ctx.fillStyle = 'rgba(255, 160, 60, 0.8)';
    ctx.beginPath();
    ctx.arc(-r * 0.6, 0, 3 + Math.random() * 1.5, 0, Math.PI * 2);
    ctx.fill();
    ctx.restore();

    ctx.font = '600 13px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillStyle = own ? '#ffffff' : 'rgba(230, 235, 255, 0.85)';
    ctx.fillText(name, s.x, s.y - r - 14);
    const max = this.arena.maxHealth || 100;
    const frac = Math.max(0, Math.min(1, s.health / max));
    ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
    ctx.fillRect(s.x - 20, s.y + r + 8, 40, 5);
    ctx.fillStyle = frac > 0.5 ? '#3ddc84' : (frac > 0.25 ? '#ffc23d' : '#ff4d4d');
    ctx.fillRect(s.x - 20, s.y + r + 8, 40 * frac, 5);
  }

  drawEffects(effects, now) {
    const ctx = this.ctx;
    for (const e of effects) {
      const age = (now - e.start) / 700;
      if (age < 0 || age > 1) {
        continue;
      }
      ctx.strokeStyle = `hsla(${playerHue(e.playerId)}, 90%, 65%, ${1 - age})`;
      ctx.lineWidth = 4 * (1 - age) + 1;
      ctx.beginPath();
      ctx.arc(e.x, e.y, 10 + age * 60, 0, Math.PI * 2);
      ctx.stroke();
      ctx.fillStyle = `rgba(255, 200, 120, ${0.8 * (1 - age)})`;
      for (let i = 0; i < 8; i++) {
        const a = i * Math.PI / 4 + e.playerId;
        const d = 8 + age * 70;
        ctx.fillRect(e.x + Math.cos(a) * d - 2, e.y + Math.sin(a) * d - 2, 4, 4);
      }
    }
  }

  drawCrosshair(x, y) {
    const ctx = this.ctx;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.8)';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(x, y, 9, 0, Math.PI * 2);
    ctx.moveTo(x - 14, y);
    ctx.lineTo(x - 5, y);
    ctx.moveTo(x + 5, y);
    ctx.lineTo(x + 14, y);
    ctx.moveTo(x, y - 14);
    ctx.lineTo(x, y - 5);
    ctx.moveTo(x, y + 5);
    ctx.lineTo(x, y + 14);
    ctx.stroke();
  }

  drawMinimap(view) {
    const ctx = this.ctx;
    const w = 180;
    const h = w * this.arena.height / this.arena.width;
    const x0 = this.width - w - 14;
    const y0 = this.height - h - 14;
    const k = w / this.arena.width;
    ctx.fillStyle = 'rgba(10, 16, 32, 0.8)';
    ctx.fillRect(x0, y0, w, h);
    ctx.strokeStyle = 'rgba(110, 170, 255, 0.6)';
    ctx.lineWidth = 1;
    ctx.strokeRect(x0, y0, w, h);
    ctx.fillStyle = 'rgba(76, 106, 168, 0.8)';
    for (const o of this.arena.obstacles) {
      ctx.fillRect(x0 + o.x * k, y0 + o.y * k, Math.max(1, o.w * k), Math.max(1, o.h * k));
    }
    for (const s of view.ships) {
      if (!s.alive || s.playerId === view.ownId) {
        continue;
      }
      ctx.fillStyle = playerColor(s.playerId);
      ctx.fillRect(x0 + s.x * k - 2, y0 + s.y * k - 2, 4, 4);
    }
    if (view.own && view.own.alive) {
      ctx.fillStyle = '#fff';
      ctx.beginPath();
      ctx.arc(x0 + view.own.x * k, y0 + view.own.y * k, 3.5, 0, Math.PI * 2);
      ctx.fill();
    }
  }

  /** In world space: where the server has our ship (acknowledged) next to where we predict it, and the buffered positions of the others. */
  drawDebugWorld(debug) {
    const ctx = this.ctx;
    const r = this.arena.shipRadius;
    for (const trail of debug.bufferedShips) {
      ctx.fillStyle = 'rgba(255, 255, 0, 0.55)';
      for (const p of trail) {
        ctx.fillRect(p.x - 2, p.y - 2, 4, 4);
      }
    }
    if (debug.server) {
      ctx.strokeStyle = '#ff4d6d';
      ctx.setLineDash([5, 4]);
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(debug.server.x, debug.server.y, r, 0, Math.PI * 2);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (debug.predicted) {
      ctx.strokeStyle = '#3dff8a';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(debug.predicted.x, debug.predicted.y, r + 3, 0, Math.PI * 2);
      ctx.stroke();
      if (debug.server) {
        ctx.beginPath();
        ctx.moveTo(debug.server.x, debug.server.y);
        ctx.lineTo(debug.predicted.x, debug.predicted.y);
        ctx.stroke();
      }
    }
  }

  /** In screen space: the numbers, and the interpolation buffer as a timeline. */
  drawDebugPanel(debug) {
    const ctx = this.ctx;
    const x0 = 14;
    const y0 = 54;
    const w = 470;
    ctx.fillStyle = 'rgba(0, 0, 0, 0.72)';
    ctx.fillRect(x0, y0, w, 130);
    ctx.font = '12px ui-monospace, monospace';
    ctx.textAlign = 'left';
    ctx.fillStyle = '#d8e0ff';
    const lines = [
      `DEBUG (F3 or \` to hide)   green: predicted  red: server`,
      `input seq ${debug.inputSeq}  acked ${debug.ackSeq}  pending ${debug.pending}`,
      `last correction ${debug.lastCorrection.toFixed(2)} u  offset ${debug.offset.toFixed(2)} u  corrections ${debug.corrections}`,
      `interp delay ${debug.delayMs.toFixed(0)} ms (jitter ${debug.jitterMs.toFixed(0)} ms)  buffer ${debug.entries.length}  starved frames ${debug.starved}`,
    ];
    lines.forEach((line, i) => ctx.fillText(line, x0 + 8, y0 + 18 + i * 16));
    // Timeline: each buffered snapshot as a tick mark, the render time as the yellow line.
    const tx = x0 + 8;
    const ty = y0 + 92;
    const tw = w - 16;
    if (debug.entries.length > 0) {
      const newest = debug.entries[debug.entries.length - 1].serverMs;
      const start = newest - 600;
      const px = (t) => tx + (t - start) / 700 * tw;
      ctx.strokeStyle = 'rgba(255,255,255,0.3)';
      ctx.beginPath();
      ctx.moveTo(tx, ty);
      ctx.lineTo(tx + tw, ty);
      ctx.stroke();
      ctx.fillStyle = '#7fb2ff';
      for (const e of debug.entries) {
        if (e.serverMs >= start) {
          ctx.fillRect(px(e.serverMs) - 1, ty - 9, 3, 18);
        }
      }
      ctx.fillStyle = '#ffe14d';
      ctx.fillRect(px(debug.renderMs) - 1, ty - 14, 2, 28);
      ctx.fillStyle = '#d8e0ff';
      ctx.fillText('snapshots (blue) vs render time (yellow), last 600 ms', tx, ty + 28);
    }
  }
}
