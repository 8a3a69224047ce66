// Tickwave Arena, the browser side: join, send inputs at a fixed rate, predict our own ship, interpolate
// everybody else, draw, chat. The server decides everything; this page only sends inputs and draws.
// The world arrives as replicated entities (Ship, Bullet, Pickup, PlayerScore from arena.proto), which
// the Tickwave SDK (/sdk/tickwave.js) rebuilds from each snapshot's delta; kills arrive as game events.
// The SDK is the connection too: join, input seqs, pings, reconnecting with the seat's token.

import { TickwaveClient, ReplicationError, loadProtocol, storedSeat, entityObject, toNumber } from '/sdk/tickwave.js';
import { OwnShipPredictor } from './prediction.js';
import { InputState } from './input.js';
import { ArenaRenderer, playerColor } from './render.js';
import { RateMeter } from './stats.js';
import { SoundEffects } from './sound.js';

const PING_INTERVAL_MS = 1000;
const MAX_INPUT_STEPS_PER_FRAME = 8;
/** Scoreboard lines before "… N more"; your own line is added below when you rank lower. */
const SCOREBOARD_ROWS = 10;
/** A ship that moved farther than this between two snapshots teleported (respawn): drawn, not blended. */
const TELEPORT_DISTANCE = 150;
/** Tick fields (Bullet.spawn_tick, Ship.respawn_tick) hold the room tick modulo 2^16. */
const TICK_FIELD_MODULUS = 65536;
const SHIP = 'arena.v1.Ship';
const BULLET = 'arena.v1.Bullet';
const PICKUP = 'arena.v1.Pickup';
const SCORE = 'arena.v1.PlayerScore';

const $ = (id) => document.getElementById(id);
const canvas = $('arena');
const input = new InputState(canvas);

/** What tests and curious developers can read: see docs/sample-game.md. */
const exposed = {
  connected: false,
  joined: false,
  ownId: 0,
  roomId: 0,
  name: '',
  players: [],
  shipsSeen: [],
  lastSnapshotTick: 0,
  snapshotsReceived: 0,
  inputSeq: 0,
  /** The newest input seq of ours the server says it applied. */
  ackedInputSeq: 0,
  pendingInputs: 0,
  predicted: null,
  acknowledged: null,
  own: null,
  chat: [],
  /** Problems of the page itself (could not load the protocol, a replicated state that does not check, …). */
  errors: [],
  /** The kills heard as game events, newest last: [{killer, victim}]. */
  kills: [],
  /** Error messages the server sent us ("rate limited", …). */
  serverErrors: [],
  disconnected: null,
  /** True while the page is trying to get its dropped seat back. */
  reconnecting: false,
  /** Welcomes that gave this page a dropped seat back (after a drop or a reload). */
  resumed: 0,
  /** Sessions the page replaced by a newer one (a second Play, Rejoin) whose sockets have closed since. */
  replacedSessionsClosed: 0,
  ping: null,
  snapshotRate: 0,
  kbps: 0,
  fps: 0,
};
window.tickwave = exposed;

/** The game's .proto and message types, which the SDK loads beside its own tickwave.proto. */
const PROTOS = ['/proto/arena.proto'];
const TYPES = { input: 'arena.v1.ArenaInput', event: 'arena.v1.ArenaEvent', info: 'arena.v1.ArenaInfo' };
let protocolLoaded = false;
let session = null;
let debugVisible = false;
const fpsMeter = new RateMeter();
const sounds = new SoundEffects();
/** How far from our ship (world units) other ships' explosions are still heard. */
const HEARING_DISTANCE = 900;
/**
 * Reconnecting after a drop is the SDK's: the first retry after about 250 ms, doubling to 4 s (each
 * jittered to 50–100 %), for 20 s (the server's default --reconnect-grace-ms), with the seat's token,
 * which it keeps in sessionStorage ('tickwave.seat') so that a reload takes the seat back too.
 */
const RECONNECT_GIVE_UP_MS = 20000;

/** One joined game: an SDK client and everything learnt through it. Owned by the page's main thread. */
class Session {
  /** `resume`: take back the seat this tab's sessionStorage holds (after a reload); otherwise a new join. */
  constructor(name, resume = false) {
    this.name = name;
    this.welcomed = false;
    this.arena = null;
    this.predictor = null;
    /** The replicated world (SDK), built from the welcome's schema. */
    this.replica = null;
    this.renderer = null;
    this.accumulatorMs = 0;
    this.stepMs = 1000 / 30;
    /** Ships of the newest state by player id (live SDK entity objects). */
    this.latestShips = new Map();
    this.tickRate = 60;
    this.hits = new Map();
    /** Each ship entity's health as last seen, to tell a hit from a repair. */
    this.healthBefore = new Map();
    this.killFeed = [];
    this.effects = [];
    this.snapshotMeter = new RateMeter();
    this.byteMeter = new RateMeter();
    this.ended = false;
    this.lastScoreboardMs = 0;
    // Only the current session may touch the page: Enter and a click on Play start two sessions at
    // once, and the first one's close must not land on the live game.
    const live = (f) => (...a) => {
      if (session === this && !this.ended) {
        f(...a);
      }
    };
    this.client = new TickwaveClient({
      name,
      resume,
      protos: PROTOS,
      types: TYPES,
      reconnectGiveUpMs: RECONNECT_GIVE_UP_MS,
      pingIntervalMs: PING_INTERVAL_MS,
      shouldBlend: (from, to) => from.$type !== SHIP
        || (from.alive === to.alive && Math.hypot(to.x - from.x, to.y - from.y) <= TELEPORT_DISTANCE),
      onMessage: live((m, size) => this.byteMeter.add(performance.now(), size)),
      onWelcome: live((w) => this.onWelcome(w)),
      onResumed: live(() => {
        exposed.resumed++; // same player id and room
      }),
      onSnapshot: live((s) => this.onSnapshot(s, performance.now())),
      onAdded: live((id, e) => this.entityAdded(id, e)),
      onChanged: live((id, e, names) => this.entityChanged(id, e, names)),
      onRemoved: live((id, e) => this.entityRemoved(id, e)),
      onEvent: live((e) => this.gameEvent(e)),
      onChat: live((line) => addChatLine(line.playerId, line.name, line.text)),
      onNotice: live((text, line) => addChatLine(0, line.name, text)),
      onPlayerJoined: live((p) => {
        this.updatePlayers();
        if (p.playerId !== this.ownId) {
          addNotice(`${p.name} joined`);
        }
      }),
      onPlayerLeft: live((p) => {
        this.updatePlayers();
        addNotice(`${p.name || `#${p.playerId}`} left`);
      }),
      onRtt: live((rttMs) => {
        exposed.ping = Math.round(rttMs);
      }),
      onError: live((e) => this.onError(e)),
      onReconnecting: live(() => {
        exposed.connected = false;
        exposed.reconnecting = true;
        $('reconnecting').classList.remove('hidden');
      }),
      onClose: (info) => {
        if (session !== this) {
          exposed.replacedSessionsClosed++;
        } else if (!this.ended) {
          this.onClose(info);
        }
      },
    });
    this.client.start();
  }

  /** Names by player id, as the SDK keeps them (a new map per welcome). */
  get names() {
    return this.client.players;
  }

  onError(e) {
    if (e instanceof ReplicationError) {
      exposed.errors.push(`replication: ${e.message}`);
      return;
    }
    const text = `${e.message || 'error'} (code ${e.code})`;
    exposed.serverErrors.push(text);
    if (!this.welcomed) {
      $('join-error').textContent = text;
    }
    addNotice(`server: ${text}`);
  }

  onWelcome(w) {
    if (this.welcomed) {
      // A welcome after a reconnect: the replica starts over from the complete snapshot that follows,
      // so what was derived from the old one goes too.
      this.latestShips.clear();
      this.healthBefore.clear();
      this.hits.clear();
      this.effects = [];
    }
    exposed.connected = true;
    exposed.reconnecting = false;
    $('reconnecting').classList.add('hidden');
    this.welcomed = true;
    this.ownId = w.playerId;
    this.arena = this.client.info;
    this.arena.obstacles = this.arena.obstacles.map((o) => ({ x: o.x, y: o.y, w: o.w, h: o.h }));
    this.stepMs = 1000 / (this.arena.inputRateHz || 30);
    this.tickRate = w.tickRate || 60;
    this.predictor = new OwnShipPredictor(this.arena);
    this.replica = this.client.replica; // the SDK's, rebuilt from the complete snapshot that follows
    this.renderer = new ArenaRenderer(canvas, this.arena);
    exposed.joined = true;
    exposed.ownId = w.playerId;
    exposed.roomId = w.roomId;
    exposed.name = this.name;
    exposed.tickRate = w.tickRate;
    exposed.snapshotRateConfigured = w.snapshotRate;
    exposed.mode = this.arena.mode || 'arena';
    this.updatePlayers();
    $('join-screen').classList.add('hidden');
    document.body.classList.add('playing');
    addNotice(w.resumed
      ? `Back in room ${w.roomId}, ${this.name}.`
      : `Welcome to room ${w.roomId}, ${this.name}! ${w.players.length} player(s) here.`);
  }

  /** A snapshot the SDK applied to the replica (and reported in the next input's newest_snapshot_tick). */
  onSnapshot(s, now) {
    const tick = toNumber(s.tick);
    this.snapshotMeter.add(now);
    const own = this.latestShips.get(this.ownId);
    if (own) {
      this.predictor.reconcile(own, s.ackInputSeq, tick);
    }
    exposed.lastSnapshotTick = tick;
    exposed.snapshotsReceived++;
    exposed.shipsSeen = [...this.latestShips.keys()];
    exposed.bulletsInFlight = this.countOf(BULLET);
    exposed.own = own ? { ...own } : null;
    exposed.acknowledged = { ...this.predictor.acknowledged };
    exposed.entities = this.replica.entities.size;
    exposed.hashesChecked = this.replica.hashesChecked;
    if (now - this.lastScoreboardMs > 250) {
      this.lastScoreboardMs = now;
      this.renderScoreboard();
      this.renderKillFeed(now);
    }
  }

  countOf(typeName) {
    let n = 0;
    for (const e of this.replica.entities.values()) {
      if (e.$type === typeName) {
        n++;
      }
    }
    return n;
  }

  /** The delay after which the interpolated picture shows what this snapshot says (0 for our own ship). */
  shownAfterMs(playerId) {
    return playerId === this.ownId ? 0 : this.replica.buffer.delayMs;
  }

  entityAdded(id, e) {
    if (e.$type === SHIP) {
      this.latestShips.set(e.playerId, e);
    } else if (e.$type === BULLET && e.ownerId === this.ownId) {
      sounds.shot();
    }
  }

  entityChanged(id, ship, names) {
    if (ship.$type !== SHIP) {
      return;
    }
    const now = performance.now();
    const healthBefore = this.healthBefore.get(id) ?? ship.health;
    this.healthBefore.set(id, ship.health);
    const wasAlive = names.includes('alive') ? !ship.alive : ship.alive;
    if (wasAlive && ship.alive && ship.health < healthBefore) {
      // Flash the ship when it is hit, at the moment the interpolated picture shows the hit.
      this.hits.set(ship.playerId, now + this.shownAfterMs(ship.playerId));
      if (ship.playerId === this.ownId) {
        sounds.hit();
      }
    }
    if (ship.playerId === this.ownId && wasAlive && ship.alive
        && (ship.health > healthBefore || (names.includes('rapidFire') && ship.rapidFire))) {
      sounds.pickup();
    }
    if (names.includes('alive') && !ship.alive) {
      // Draw the explosion where the other players saw it: after the interpolation delay.
      this.effects.push({ x: ship.x, y: ship.y, playerId: ship.playerId, start: now + this.shownAfterMs(ship.playerId) });
      const me = this.predictor && this.predictor.known ? this.predictor.current : null;
      if (ship.playerId === this.ownId || (me && Math.hypot(ship.x - me.x, ship.y - me.y) < HEARING_DISTANCE)) {
        sounds.explosion();
      }
    }
  }

  entityRemoved(id, e) {
    if (e.$type === SHIP) {
      this.healthBefore.delete(id);
      if (this.latestShips.get(e.playerId) === e) {
        this.latestShips.delete(e.playerId);
      }
    }
  }

  /** An ArenaEvent: a kill goes to the kill feed. */
  gameEvent(e) {
    if (e.kill) {
      this.killFeed.push({ killer: e.kill.killerId, victim: e.kill.victimId, at: performance.now() });
      exposed.kills.push({ killer: e.kill.killerId, victim: e.kill.victimId });
      if (exposed.kills.length > 50) {
        exposed.kills.shift();
      }
    }
  }

  /**
   * Where a bullet is at a (fractional) tick: its origin plus bullet_speed along its angle for the
   * ticks since spawn_tick (mod 2^16); null before it was fired or after its lifetime.
   */
  bulletAt(id, b, tick) {
    let elapsed = (((tick - b.spawnTick) % TICK_FIELD_MODULUS) + TICK_FIELD_MODULUS) % TICK_FIELD_MODULUS;
    if (elapsed > TICK_FIELD_MODULUS / 2) {
      elapsed -= TICK_FIELD_MODULUS;
    }
    const seconds = elapsed / this.tickRate;
    if (seconds < 0 || seconds > (this.arena.bulletLifetime || 2)) {
      return null;
    }
    const d = this.arena.bulletSpeed * seconds;
    return { id, ownerId: b.ownerId, x: b.x + Math.cos(b.angle) * d, y: b.y + Math.sin(b.angle) * d };
  }

  /**
   * The SDK gave the session up: a close after which there is no coming back (docs/sdk.md), or 20 s of
   * failed reconnects, or a refused join (`info.error`).
   */
  onClose(info) {
    exposed.reconnecting = false;
    $('reconnecting').classList.add('hidden');
    this.end();
    exposed.connected = false;
    if (info.error && !this.welcomed) {
      this.onError(info.error);
    }
    const reason = info.reason ? `${info.reason} (code ${info.code})` : `connection closed (code ${info.code})`;
    exposed.disconnected = reason;
    if (!this.welcomed && $('join-error').textContent) {
      $('join-screen').classList.remove('hidden');
      return;
    }
    $('disconnect-reason').textContent = this.welcomed
      ? `Lost the connection to the server: ${reason}.`
      : `Could not join: ${reason}.`;
    $('disconnected').classList.remove('hidden');
  }

  /** Stops the session for good; its client's socket closes (onClose counts it as replaced). */
  end() {
    this.ended = true;
    this.client.close();
  }

  updatePlayers() {
    exposed.players = [...this.names.entries()].map(([id, name]) => ({ id, name }));
  }

  /** Runs the fixed-rate input steps due by now, then returns how far we are into the next one (0..1). */
  stepInputs(frameMs) {
    this.accumulatorMs += frameMs;
    let steps = 0;
    while (this.accumulatorMs >= this.stepMs) {
      if (steps === MAX_INPUT_STEPS_PER_FRAME) {
        this.accumulatorMs = 0; // a long stall (tab in background): do not replay it all at once
        break;
      }
      const moveX = input.moveX();
      const moveY = input.moveY();
      const aim = this.aimAngle();
      const seq = this.client.sendInput({ moveX, moveY, aim, fire: input.fire() });
      this.predictor.applyLocal(seq, moveX, moveY);
      this.accumulatorMs -= this.stepMs;
      steps++;
    }
    return Math.min(1, this.accumulatorMs / this.stepMs);
  }

  /** The aim is the mouse's direction from where our ship is drawn on screen (last frame's camera). */
  aimAngle() {
    if (input.mouseX === 0 && input.mouseY === 0) {
      const own = this.latestShips.get(this.ownId);
      return own ? own.aim : 0;
    }
    const from = this.ownScreen || { x: window.innerWidth / 2, y: window.innerHeight / 2 };
    return Math.atan2(input.mouseY - from.y, input.mouseX - from.x);
  }

  /**
   * The camera follows our ship but stops at the arena's edges (when the arena is larger than the
   * view), so the screen shows floor rather than the void outside.
   */
  cameraFor(focus) {
    const r = this.renderer;
    r.resize();
    const halfW = r.width / 2 / r.scale;
    const halfH = r.height / 2 / r.scale;
    const clampAxis = (v, half, size) => (size <= 2 * half ? size / 2 : Math.max(half, Math.min(size - half, v)));
    return { x: clampAxis(focus.x, halfW, this.arena.width), y: clampAxis(focus.y, halfH, this.arena.height) };
  }

  frame(now, frameMs) {
    if (!this.welcomed) {
      return;
    }
    const alpha = this.stepInputs(frameMs);
    this.predictor.decay(frameMs);
    const buffer = this.replica.buffer;
    const sample = buffer.sample(now);
    const serverOwn = this.latestShips.get(this.ownId);
    let own = null;
    if (serverOwn && this.predictor.known) {
      const pos = this.predictor.renderPosition(alpha);
      own = { ...serverOwn, x: pos.x, y: pos.y, aim: this.aimAngle() };
    }
    const camera = this.cameraFor(own || serverOwn || { x: this.arena.width / 2, y: this.arena.height / 2 });
    if (own) {
      this.ownScreen = this.renderer.toScreen(camera.x, camera.y, own.x, own.y);
      exposed.ownScreen = this.ownScreen;
    }
    this.effects = this.effects.filter((e) => now - e.start < 800);
    const flash = (id) => {
      const at = this.hits.get(id);
      const age = at === undefined ? 1 : (now - at) / 150;
      return age >= 0 && age < 1 ? 0.7 * (1 - age) : 0;
    };
    // Everybody else where they were a little in the past, blended between the two states around then;
    // bullets flown from their constant fields to that same moment; pickups as the newest state has them.
    const ships = [];
    const bullets = [];
    for (const [id, e] of sample.entities) {
      if (e.$type === SHIP) {
        e.hitFlash = flash(e.playerId);
        ships.push(e);
      } else if (e.$type === BULLET) {
        const b = this.bulletAt(id, e, sample.tick);
        if (b) {
          bullets.push(b);
        }
      }
    }
    const pickups = [];
    for (const e of this.replica.entities.values()) {
      if (e.$type === PICKUP) {
        pickups.push({ id: e.spotId, kind: e.kind, x: e.x, y: e.y });
      }
    }
    if (own) {
      own.hitFlash = flash(this.ownId);
    }
    const view = {
      camera,
      now,
      ownId: this.ownId,
      own,
      ships,
      bullets,
      pickups,
      names: this.names,
      effects: this.effects,
      crosshair: input.mouseX || input.mouseY ? { x: input.mouseX, y: input.mouseY } : null,
      debug: debugVisible ? this.debugInfo(sample) : null,
    };
    this.renderer.draw(view);
    this.renderCenterMessage(serverOwn);

    const p = this.predictor;
    exposed.inputSeq = this.client.seq;
    exposed.ackedInputSeq = this.client.ackedInputSeq;
    exposed.pendingInputs = p.pending.length;
    exposed.predicted = p.known ? { x: p.current.x, y: p.current.y } : null;
    exposed.snapshotRate = Math.round(this.snapshotMeter.perSecond(now));
    exposed.kbps = Math.round(this.byteMeter.perSecond(now) * 8 / 100) / 10;
    exposed.interpolationDelayMs = buffer.delayMs;
    exposed.starvedFrames = buffer.starvedFrames;
    renderHud(this);
  }

  debugInfo(sample) {
    const p = this.predictor;
    const bufferedShips = [];
    const byShip = new Map();
    const buffer = this.replica.buffer;
    const tickMs = 1000 / this.tickRate;
    for (const e of buffer.entries) {
      for (const [id, record] of e.state) {
        if (record.type.name !== SHIP) {
          continue;
        }
        const s = entityObject(record);
        if (s.playerId === this.ownId || !s.alive) {
          continue;
        }
        if (!byShip.has(id)) {
          byShip.set(id, []);
        }
        byShip.get(id).push({ x: s.x, y: s.y });
      }
    }
    for (const trail of byShip.values()) {
      bufferedShips.push(trail.slice(-8));
    }
    return {
      server: p.known ? p.acknowledged : null,
      predicted: p.known ? p.current : null,
      bufferedShips,
      inputSeq: this.client.seq,
      ackSeq: p.acknowledged.seq,
      pending: p.pending.length,
      lastCorrection: p.lastCorrection,
      offset: Math.hypot(p.offset.x, p.offset.y),
      corrections: p.corrections,
      delayMs: buffer.delayMs,
      jitterMs: buffer.jitterMs,
      entries: buffer.entries.map((e) => ({ serverMs: e.tick * tickMs })),
      renderMs: sample.tick * tickMs,
      starved: buffer.starvedFrames,
    };
  }

  renderCenterMessage(serverOwn) {
    const el = $('center-message');
    if (serverOwn && !serverOwn.alive) {
      const killer = [...this.killFeed].reverse().find((k) => k.victim === this.ownId);
      const by = killer ? ` by ${this.names.get(killer.killer) || 'someone'}` : '';
      // respawn_tick is the tick (mod 2^16) the ship comes back at.
      const ticksLeft = (((serverOwn.respawnTick - this.replica.tick) % TICK_FIELD_MODULUS) + TICK_FIELD_MODULUS)
        % TICK_FIELD_MODULUS;
      const seconds = ticksLeft > TICK_FIELD_MODULUS / 2 ? 0 : ticksLeft / this.tickRate;
      el.textContent = `Destroyed${by} — respawning in ${seconds.toFixed(1)} s`;
      el.classList.remove('hidden');
    } else {
      el.classList.add('hidden');
    }
  }

  renderScoreboard() {
    // From the PlayerScore entities: always relevant, so whole even when ships are out of view.
    const ranked = [];
    for (const e of this.replica.entities.values()) {
      if (e.$type === SCORE) {
        ranked.push(e);
      }
    }
    ranked.sort((a, b) => b.score - a.score || a.deaths - b.deaths || a.playerId - b.playerId);
    // A big room would cover the screen: show the leaders, then your own line if you are not among them.
    const shown = ranked.slice(0, SCOREBOARD_ROWS);
    const ownRank = ranked.findIndex((s) => s.playerId === this.ownId);
    const body = $('scores');
    body.textContent = '';
    for (const s of shown) {
      body.append(this.scoreRow(s, ranked.indexOf(s) + 1));
    }
    if (ranked.length > shown.length + (ownRank >= SCOREBOARD_ROWS ? 1 : 0)) {
      const more = document.createElement('tr');
      const cell = document.createElement('td');
      cell.colSpan = 3;
      cell.className = 'more';
      cell.textContent = `… ${ranked.length - shown.length} more`;
      more.append(cell);
      body.append(more);
    }
    if (ownRank >= SCOREBOARD_ROWS) {
      // In world mode the server sends only the leaders' lines and your own: your rank is not known here.
      const world = this.arena.mode === 'world';
      body.append(this.scoreRow(ranked[ownRank], world ? 0 : ownRank + 1));
    }
  }

  scoreRow(line, rank) {
    const tr = document.createElement('tr');
    if (line.playerId === this.ownId) {
      tr.className = 'me';
    }
    const name = document.createElement('td');
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.style.background = playerColor(line.playerId);
    const label = this.names.get(line.playerId) || `#${line.playerId}`;
    name.append(dot, rank > SCOREBOARD_ROWS ? `${rank}. ${label}` : rank === 0 ? `… ${label}` : label);
    const score = document.createElement('td');
    score.textContent = String(line.score);
    const deaths = document.createElement('td');
    deaths.textContent = String(line.deaths);
    tr.append(name, score, deaths);
    return tr;
  }

  renderKillFeed(now) {
    this.killFeed = this.killFeed.filter((k) => now - k.at < 6000);
    const feed = $('killfeed');
    feed.textContent = '';
    for (const k of this.killFeed.slice(-5)) {
      const line = document.createElement('div');
      const killer = document.createElement('b');
      killer.style.color = playerColor(k.killer, 70);
      killer.textContent = this.names.get(k.killer) || `#${k.killer}`;
      const victim = document.createElement('b');
      victim.style.color = playerColor(k.victim, 70);
      victim.textContent = this.names.get(k.victim) || `#${k.victim}`;
      line.append(killer, ' ✦ ', victim);
      feed.append(line);
    }
  }
}

function renderHud(s) {
  const ping = exposed.ping === null ? '–' : `${exposed.ping} ms`;
  $('hud').textContent =
    `ping ${ping} · ${exposed.snapshotRate} snapshots/s · ${exposed.kbps.toFixed(1)} kbit/s · ${exposed.fps} fps · `
    + `${s.replica ? s.countOf(SCORE) : 0} in room ${exposed.roomId}`;
}

function addChatLine(playerId, name, text) {
  exposed.chat.push({ playerId, name, text });
  const line = document.createElement('div');
  if (playerId === 0) {
    line.className = 'notice';
    line.textContent = name ? `${name}: ${text}` : text;
  } else {
    const who = document.createElement('b');
    who.style.color = playerColor(playerId, 70);
    who.textContent = `${name}: `;
    line.append(who, text);
  }
  appendChat(line);
}

function addNotice(text) {
  const line = document.createElement('div');
  line.className = 'notice';
  line.textContent = text;
  appendChat(line);
}

function appendChat(line) {
  const log = $('chat-log');
  log.append(line);
  while (log.childElementCount > 60) {
    log.firstElementChild.remove();
  }
  log.scrollTop = log.scrollHeight;
}

/** Starts a new session (the previous one's socket is closed); `resume` asks for this tab's stored seat back. */
function startSession(name, resume = false) {
  const previous = session;
  session = null;
  if (previous && !previous.ended) {
    previous.end();
  }
  $('join-error').textContent = '';
  $('disconnected').classList.add('hidden');
  $('reconnecting').classList.add('hidden');
  exposed.disconnected = null;
  exposed.reconnecting = false;
  exposed.joined = false;
  exposed.snapshotsReceived = 0;
  session = new Session(name, resume);
}

/** After a reload: the seat this tab had, if sessionStorage still holds one (the server decides if it is still kept). */
function resumeStoredSeat() {
  const seat = storedSeat();
  if (seat && seat.name) {
    startSession(seat.name, true);
  }
}

let lastFrame = performance.now();
function frame(now) {
  const frameMs = Math.min(250, Math.max(0, now - lastFrame));
  lastFrame = now;
  fpsMeter.add(now);
  exposed.fps = Math.round(fpsMeter.perSecond(now));
  if (session && !session.ended) {
    session.frame(now, frameMs);
  }
  requestAnimationFrame(frame);
}

function setUpUi() {
  const nameInput = $('name-input');
  nameInput.value = localStorage.getItem('tickwave.name') || `pilot${Math.floor(Math.random() * 900 + 100)}`;
  $('join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = nameInput.value.trim();
    if (!name) {
      $('join-error').textContent = 'Pick a name first.';
      return;
    }
    if (!protocolLoaded) {
      $('join-error').textContent = 'Still loading, one moment…';
      return;
    }
    localStorage.setItem('tickwave.name', name);
    nameInput.blur();
    sounds.unlock();
    startSession(name);
  });
  $('rejoin-button').addEventListener('click', () => {
    sounds.unlock();
    startSession(session ? session.name : nameInput.value.trim());
  });

  const chatInput = $('chat-input');
  chatInput.addEventListener('focus', () => {
    input.enabled = false;
    input.clear();
  });
  chatInput.addEventListener('blur', () => {
    input.enabled = true;
  });
  chatInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      const text = chatInput.value.trim().slice(0, 200);
      if (text && session) {
        session.client.chat(text);
      }
      chatInput.value = '';
      chatInput.blur();
      e.preventDefault();
    } else if (e.key === 'Escape') {
      chatInput.blur();
    }
    e.stopPropagation();
  });
  window.addEventListener('keydown', (e) => {
    if (e.target === chatInput || e.target === nameInput) {
      return;
    }
    if (e.code === 'F3' || e.code === 'Backquote' || e.key === '`') {
      debugVisible = !debugVisible;
      exposed.debug = debugVisible;
      e.preventDefault();
    } else if (e.code === 'KeyM' || e.key === 'm') {
      addNotice(sounds.toggleMute() ? 'sound off (M)' : 'sound on (M)');
    } else if (e.key === 'Enter' && session && session.welcomed) {
      chatInput.focus();
      e.preventDefault();
    }
  });
}

setUpUi();
requestAnimationFrame(frame);
loadProtocol(PROTOS).then(() => {
  protocolLoaded = true;
  exposed.ready = true;
  $('join-button').disabled = false;
  resumeStoredSeat();
}).catch((e) => {
  exposed.errors.push(String(e));
  $('join-error').textContent = `Could not load the protocol: ${e}`;
});
