/**
 * The connection half of the browser SDK: one game session over a WebSocket (docs/sdk.md). It loads the
 * protocol's .proto files and the game's with protobufjs (window.protobuf, the server's WebJar), joins,
 * numbers and paces inputs, pings, rebuilds the replicated state (Replica), decodes game events and
 * game info with the types the page names, and reconnects with the seat's reconnect token after a drop.
 *
 * Threading: everything runs on the page's event loop (WebSocket events, timers); every callback is
 * called from it, one at a time, never re-entrantly from a method the page called.
 */

import { Replica, toNumber } from './replica.js';

/** The protocol version this SDK speaks (docs/protocol.md). */
export const PROTOCOL_VERSION = 2;

/**
 * Error.code by name (tickwave.proto's ErrorCode). The codes from BAD_JOIN_OPTIONS on come with the
 * game developer's kit; a server without them never sends them.
 */
export const ErrorCode = Object.freeze({
  ERROR_CODE_UNSPECIFIED: 0,
  NOT_JOINED: 1,
  ALREADY_JOINED: 2,
  BAD_PROTOCOL_VERSION: 3,
  BAD_NAME: 4,
  CHAT_TOO_LONG: 5,
  CHAT_RATE_LIMITED: 6,
  SERVER_BUSY: 7,
  MALFORMED_MESSAGE: 8,
  UNKNOWN_MESSAGE: 9,
  STALE_INPUT: 10,
  INPUT_TOO_LARGE: 11,
  RECONNECT_REFUSED: 12,
  SERVER_DRAINING: 13,
  SEAT_REFUSED: 14,
  BAD_JOIN_OPTIONS: 15,
  ROOM_NOT_FOUND: 16,
  ROOM_FULL: 17,
  ROOM_LOCKED: 18,
  JOIN_REFUSED: 19,
  KICKED: 20,
  ROOM_ENDED: 21,
});

const ERROR_NAMES = new Map(Object.entries(ErrorCode).map(([name, code]) => [code, name]));

/** The name of an Error.code ('ROOM_FULL'), or 'ERROR_<n>' for a code this SDK does not know. */
export function errorCodeName(code) {
  return ERROR_NAMES.get(code) || `ERROR_${code}`;
}

/** Close codes by name (docs/protocol.md, "Close codes"). */
export const CloseCode = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  ABNORMAL: 1006,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  TEXT_FRAME: 4001,
  MALFORMED: 4002,
  UNKNOWN_MESSAGE: 4004,
  BAD_PROTOCOL_VERSION: 4005,
  RATE_LIMITED: 4008,
  IDLE_TIMEOUT: 4009,
  TOO_SLOW: 4010,
  SERVER_BUSY: 4011,
  JOIN_TIMEOUT: 4012,
  REMATCH: 4013,
  SEAT_REFUSED: 4014,
  KICKED: 4015,
  ROOM_ENDED: 4016,
  SEAT_TAKEN_OVER: 4017,
});

/**
 * Closes after which the SDK does not come back: the page's own normal closure, the server's closes for
 * breaking the protocol (they keep no seat), a kick, a room's end, and a seat taken over by a newer
 * connection with its token (coming back would take it from that one). After any other close (a lost
 * network's 1006, the server's 1001, 4009, 4010, a full server's 4011, 4012, 4013, 4014) it reconnects.
 */
const FINAL_CLOSE_CODES = new Set([1000, 1002, 1008, 1009, 1011,
  4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008, 4015, 4016, 4017]);

/** True when a session that ended with this close code must not reconnect. */
export function isFinalClose(code) {
  return FINAL_CLOSE_CODES.has(code);
}

/** Errors that refuse a join (the connection stays open): the session cannot start with these options. */
const JOIN_REFUSALS = new Set([ErrorCode.BAD_NAME, ErrorCode.BAD_JOIN_OPTIONS, ErrorCode.ROOM_NOT_FOUND,
  ErrorCode.ROOM_FULL, ErrorCode.ROOM_LOCKED, ErrorCode.JOIN_REFUSED]);

/** Errors that announce the close that follows them: handed to onClose as its `error`, not to onError. */
const CLOSE_ANNOUNCEMENTS = new Set([ErrorCode.BAD_PROTOCOL_VERSION, ErrorCode.MALFORMED_MESSAGE,
  ErrorCode.UNKNOWN_MESSAGE, ErrorCode.SERVER_DRAINING, ErrorCode.SEAT_REFUSED, ErrorCode.KICKED,
  ErrorCode.ROOM_ENDED]);

/**
 * An Error message from the server (`code`, its `codeName`, the server's `message`), or a matchmaking
 * answer that gave no seat (`codeName` 'MATCHMAKE_FAILED', `status` the HTTP status).
 */
export class ServerError extends Error {
  constructor(code, message, details = {}) {
    super(message || errorCodeName(code));
    this.name = 'ServerError';
    this.code = code;
    this.codeName = typeof code === 'number' ? errorCodeName(code) : String(code);
    Object.assign(this, details);
  }
}

/** Welcome.reconnect_token as text (for storage) and back. */
export function tokenToText(bytes) {
  let s = '';
  for (const b of bytes) {
    s += String.fromCharCode(b);
  }
  return btoa(s);
}

export function tokenFromText(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

const DEFAULT_SEAT_KEY = 'tickwave.seat';

function defaultStorage() {
  try {
    return window.sessionStorage; // throws where storage is disabled (sandboxed frames, some privacy modes)
  } catch (e) {
    return null;
  }
}

/**
 * The seat a reload of this tab may take back: {name, playerId, roomId, url, token (bytes)} as the last
 * welcome left it in storage (default: sessionStorage, key 'tickwave.seat'), or null. Never throws.
 */
export function storedSeat({ storage = defaultStorage(), storageKey = DEFAULT_SEAT_KEY } = {}) {
  if (!storage) {
    return null;
  }
  try {
    const seat = JSON.parse(storage.getItem(storageKey) || 'null');
    if (seat && typeof seat.token === 'string' && seat.token) {
      return { ...seat, token: tokenFromText(seat.token) };
    }
  } catch (e) {
    // unreadable: treated as none, and dropped below
  }
  forgetSeat({ storage, storageKey });
  return null;
}

/** Drops the stored seat. Never throws. */
export function forgetSeat({ storage = defaultStorage(), storageKey = DEFAULT_SEAT_KEY } = {}) {
  try {
    if (storage) {
      storage.removeItem(storageKey);
    }
  } catch (e) {
    // storage unavailable: nothing to drop
  }
}

function saveSeat(storage, storageKey, seat) {
  try {
    if (storage) {
      storage.setItem(storageKey, JSON.stringify({ ...seat, token: tokenToText(seat.token) }));
    }
  } catch (e) {
    // full or unavailable: a reload then joins afresh
  }
}

const loadedProtocols = new Map();

/**
 * Loads /proto/tickwave.proto and the game's .proto files (cached per list), and returns
 * {root, ClientMessage, ServerMessage}. `protoBase` is where the server serves tickwave.proto.
 */
export function loadProtocol(protos = [], protoBase = '/proto/') {
  const files = [`${protoBase}tickwave.proto`, ...protos];
  const key = files.join('\n');
  if (!loadedProtocols.has(key)) {
    if (!window.protobuf) {
      return Promise.reject(new Error('protobufjs is not loaded: add <script src="/webjars/protobufjs/7.5.4/dist/protobuf.min.js"></script> before the module'));
    }
    const loading = window.protobuf.load(files).then((root) => ({
      root,
      ClientMessage: root.lookupType('tickwave.v1.ClientMessage'),
      ServerMessage: root.lookupType('tickwave.v1.ServerMessage'),
    }));
    loading.catch(() => loadedProtocols.delete(key));
    loadedProtocols.set(key, loading);
  }
  return loadedProtocols.get(key);
}

function defaultUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

function webSocketUrl(url) {
  const u = new URL(url, location.href);
  if (u.protocol === 'http:') {
    u.protocol = 'ws:';
  } else if (u.protocol === 'https:') {
    u.protocol = 'wss:';
  }
  return u.href;
}

const NOTHING = () => {};
const CALLBACKS = ['onWelcome', 'onResumed', 'onSnapshot', 'onAdded', 'onChanged', 'onRemoved', 'onEvent',
  'onChat', 'onNotice', 'onPlayerJoined', 'onPlayerLeft', 'onRtt', 'onError', 'onReconnecting', 'onClose',
  'onMessage'];

/**
 * One game session: a player's seat on a server, kept across dropped connections. Build it with
 * `connect(options)` (or `new TickwaveClient(options)` and `start()`). See docs/sdk.md for every option.
 */
export class TickwaveClient {
  constructor(options = {}) {
    this.options = options;
    this.name = options.name || '';
    for (const callback of CALLBACKS) {
      this[callback] = options[callback] || NOTHING;
    }
    this.url = webSocketUrl(options.url || defaultUrl());
    this.matchmakeUrl = options.matchmake
      ? new URL(options.matchmake === true ? '/matchmake' : options.matchmake, location.href).href : null;
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.storageKey = options.storageKey || DEFAULT_SEAT_KEY;
    this.reconnect = options.reconnect !== false;
    this.reconnectFirstDelayMs = options.reconnectFirstDelayMs ?? 250;
    this.reconnectMaxDelayMs = options.reconnectMaxDelayMs ?? 4000;
    this.reconnectGiveUpMs = options.reconnectGiveUpMs ?? 20000;
    this.pingIntervalMs = options.pingIntervalMs ?? 1000;
    this.inputRate = options.inputRate || 0;

    /** protobufjs: the loaded Root and the envelope types (after start()). */
    this.root = null;
    this.types = {};
    /** The WebSocket of the current connection (null between connections). */
    this.socket = null;
    /** True while a socket is open; `joined` once its join was welcomed. */
    this.connected = false;
    this.joined = false;
    /** True between a drop and the welcome (or the give-up) that ends it. */
    this.reconnecting = false;
    /** True once the session is over for good (close(), a final close, giving up). */
    this.ended = false;
    /** The newest Welcome, as protobufjs decoded it, and its game info decoded with types.info. */
    this.welcome = null;
    this.info = null;
    this.playerId = 0;
    this.roomId = 0;
    this.tickRate = 0;
    this.snapshotRate = 0;
    /** Everyone in the room: player id -> name. */
    this.players = new Map();
    /** The replicated world of the current seat (a new one per welcome); null for a game that does not replicate. */
    this.replica = null;
    /** For a game that does not replicate: the newest Snapshot.state decoded with types.state (or bytes). */
    this.state = null;
    /** The newest input seq given out (inputs go on numbering above it after a reconnect). */
    this.seq = 0;
    /** The newest Snapshot.ack_input_seq and Snapshot.tick received. */
    this.ackedInputSeq = 0;
    this.newestSnapshotTick = 0;
    /** Round trip of the pings: the newest sample and a smoothed value (ms), null before the first pong. */
    this.lastRttMs = null;
    this.rttMs = null;
    /** Messages sent and received, and bytes received, over the session. */
    this.sentMessages = 0;
    this.receivedMessages = 0;
    this.receivedBytes = 0;

    this.reconnectToken = null;
    this.seatToken = '';
    this.latestInput = null;
    this.droppedAtMs = null;
    this.attempts = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.inputTimer = null;
    this.unloading = false;
    this.closeError = null;
    this.firstWelcome = null;
    this.started = null;
    this.onPageHide = () => { this.unloading = true; };
    this.onPageShow = () => { this.unloading = false; };
  }

  /**
   * Loads the protocol, (matchmakes,) connects and joins. Resolves with the first Welcome; rejects with
   * a ServerError when the join is refused (or matchmaking gives no seat), or an Error when the
   * connection closes first. Later drops are handled by reconnecting (onReconnecting, onResumed).
   */
  start() {
    if (this.started) {
      return this.started;
    }
    if (this.ended) {
      return Promise.reject(new Error('this client was closed: make a new one'));
    }
    this.started = new Promise((resolve, reject) => {
      this.firstWelcome = { resolve, reject };
    });
    this.started.catch(NOTHING); // a page that only uses callbacks need not catch
    window.addEventListener('pagehide', this.onPageHide);
    window.addEventListener('pageshow', this.onPageShow);
    if (this.options.resume === false) {
      forgetSeat(this);
    } else {
      const seat = storedSeat(this);
      if (seat && (!seat.name || !this.name || seat.name === this.name)) {
        this.reconnectToken = seat.token;
        this.name = this.name || seat.name;
        if (seat.url) {
          this.url = seat.url;
        }
      }
    }
    const t = this.options.types || {};
    loadProtocol(this.options.protos || [], this.options.protoBase || '/proto/').then((p) => {
      if (this.ended) {
        return;
      }
      this.root = p.root;
      this.types = {
        ClientMessage: p.ClientMessage, ServerMessage: p.ServerMessage,
        input: t.input ? p.root.lookupType(t.input) : null,
        event: t.event ? p.root.lookupType(t.event) : null,
        info: t.info ? p.root.lookupType(t.info) : null,
        state: t.state ? p.root.lookupType(t.state) : null,
      };
      if (this.reconnectToken || !this.matchmakeUrl) {
        this.open(this.url);
      } else {
        this.matchmake();
      }
    }).catch((e) => this.finish({ code: 0, reason: `could not load the protocol: ${e.message || e}`, cause: e }));
    if (this.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => this.ping(), this.pingIntervalMs);
    }
    if (this.inputRate > 0) {
      this.inputTimer = setInterval(() => {
        if (this.latestInput !== null && this.joined) {
          this.sendInput(this.latestInput);
        }
      }, 1000 / this.inputRate);
    }
    return this.started;
  }

  /** Asks POST /matchmake for a seat, then connects to the node it names. */
  matchmake() {
    const body = { name: this.name };
    if (this.options.game) {
      body.game = this.options.game;
    }
    if (this.options.roomId) {
      body.roomId = this.options.roomId;
    }
    if (this.options.options && Object.keys(this.options.options).length) {
      body.options = this.options.options;
    }
    fetch(this.matchmakeUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(async (response) => {
        let answer = {};
        try {
          answer = await response.json();
        } catch (e) {
          // not JSON: reported by status below
        }
        if (!response.ok || !answer.url || !answer.seatToken) {
          throw new ServerError('MATCHMAKE_FAILED', answer.error || `POST ${this.matchmakeUrl} answered ${response.status}`,
            { status: response.status });
        }
        return answer;
      })
      .then((answer) => {
        if (this.ended) {
          return;
        }
        this.url = webSocketUrl(answer.url);
        this.seatToken = answer.seatToken;
        this.reconnectToken = null;
        this.open(this.url);
      })
      .catch((e) => {
        if (this.ended) {
          return;
        }
        const error = e instanceof ServerError ? e : new ServerError('MATCHMAKE_FAILED', `matchmaking failed: ${e.message || e}`, { status: 0 });
        if (!this.welcome && !this.reconnecting) {
          this.finish({ code: 0, reason: error.message, error });
        } else {
          this.retry({ code: 0, reason: error.message, rematch: true });
        }
      });
  }

  /** Opens a WebSocket to `url` and joins on it as soon as it opens. */
  open(url) {
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) {
        return;
      }
      opened = true;
      this.connected = true;
      this.sendJoin();
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket || this.ended) {
        return;
      }
      const bytes = new Uint8Array(event.data);
      this.receivedMessages++;
      this.receivedBytes += bytes.byteLength;
      let message;
      try {
        message = this.types.ServerMessage.decode(bytes);
      } catch (e) {
        this.onError(new ServerError(ErrorCode.MALFORMED_MESSAGE, `undecodable server message: ${e.message}`));
        return;
      }
      this.handle(message, performance.now(), bytes.byteLength);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      this.connected = false;
      this.joined = false;
      this.dropped(event.code, event.reason, opened);
    };
  }

  sendJoin() {
    const join = { name: this.name, protocolVersion: PROTOCOL_VERSION };
    if (this.reconnectToken && this.reconnectToken.length) {
      join.reconnectToken = this.reconnectToken;
    }
    if (this.seatToken) {
      join.seatToken = this.seatToken;
    }
    // Fields 5..7 of Join: encoded by protobufjs once the served tickwave.proto declares them.
    const o = this.options;
    if (o.options && Object.keys(o.options).length) {
      join.options = { ...o.options };
    }
    if (o.roomId) {
      join.roomId = o.roomId;
    }
    if (o.createRoom) {
      join.createRoom = true;
    }
    this.send({ join });
  }

  handle(m, now, byteLength) {
    this.onMessage(m, byteLength);
    if (m.welcome) {
      this.welcomed(m.welcome);
    } else if (m.snapshot) {
      this.snapshot(m.snapshot, now);
    } else if (m.event) {
      if (this.replica) {
        this.replica.deliverEvent(m.event);
      } else {
        this.deliverEvent(m.event);
      }
    } else if (m.chat) {
      const line = { playerId: m.chat.playerId, name: m.chat.name, text: m.chat.text };
      if (line.playerId === 0) {
        this.onNotice(line.text, line);
      } else {
        this.onChat(line);
      }
    } else if (m.playerJoined) {
      this.players.set(m.playerJoined.playerId, m.playerJoined.name);
      this.onPlayerJoined({ playerId: m.playerJoined.playerId, name: m.playerJoined.name });
    } else if (m.playerLeft) {
      const name = m.playerLeft.name || this.players.get(m.playerLeft.playerId) || '';
      this.players.delete(m.playerLeft.playerId);
      this.onPlayerLeft({ playerId: m.playerLeft.playerId, name });
    } else if (m.pong) {
      const sample = now - toNumber(m.pong.clientTime) / 1000;
      this.lastRttMs = sample;
      this.rttMs = this.rttMs === null ? sample : this.rttMs * 0.7 + sample * 0.3;
      this.onRtt(this.rttMs, sample);
    } else if (m.error) {
      this.serverError(new ServerError(m.error.code, m.error.message));
    }
  }

  serverError(error) {
    if (error.code === ErrorCode.RECONNECT_REFUSED && this.reconnectToken) {
      // The seat is gone (its grace ran out, or this is another server): a new seat instead.
      this.reconnectToken = null;
      forgetSeat(this);
      if (this.matchmakeUrl) {
        this.closeSocketFor('rematch'); // a cluster node seats a fresh join only with a seat token
      } else {
        this.sendJoin();
      }
      return;
    }
    if (CLOSE_ANNOUNCEMENTS.has(error.code)) {
      this.closeError = error;
      return;
    }
    if (JOIN_REFUSALS.has(error.code) && !this.joined) {
      this.finish({ code: CloseCode.NORMAL, reason: error.message, error });
      return;
    }
    this.onError(error);
  }

  /** Ends the current socket so that the next attempt starts (with a matchmake when that is the way). */
  closeSocketFor(why) {
    const socket = this.socket;
    this.socket = null;
    this.connected = false;
    this.joined = false;
    if (socket) {
      socket.close(1000);
    }
    this.retry({ code: CloseCode.NORMAL, reason: why, rematch: true });
  }

  welcomed(w) {
    this.welcome = w;
    this.joined = true;
    this.reconnecting = false;
    this.droppedAtMs = null;
    this.attempts = 0;
    this.closeError = null;
    this.seatToken = '';
    this.playerId = w.playerId;
    this.roomId = w.roomId;
    this.tickRate = w.tickRate || 60;
    this.snapshotRate = w.snapshotRate || 30;
    this.ackedInputSeq = 0;
    this.newestSnapshotTick = 0;
    // A resumed seat's inputs must go on above its last one (the server drops the others): a reloaded
    // page starts counting from 0 again.
    this.seq = Math.max(this.seq, toNumber(w.lastInputSeq));
    this.state = null;
    this.players = new Map(w.players.map((p) => [p.playerId, p.name]));
    this.info = this.types.info && w.gameInfo ? this.types.info.decode(w.gameInfo) : (w.gameInfo || null);
    this.reconnectToken = w.reconnectToken && w.reconnectToken.length ? w.reconnectToken : null;
    if (this.reconnectToken) {
      saveSeat(this.storage, this.storageKey, {
        name: this.name, playerId: w.playerId, roomId: w.roomId, url: this.url, token: this.reconnectToken,
      });
    } else {
      forgetSeat(this);
    }
    this.replica = w.replicationSchema ? this.newReplica(w) : null;
    this.onWelcome(w, this);
    if (w.resumed) {
      this.onResumed(w, this);
    }
    if (this.firstWelcome) {
      const { resolve } = this.firstWelcome;
      this.firstWelcome = null;
      resolve(w);
    }
  }

  newReplica(w) {
    return new Replica(w.replicationSchema, {
      tickRate: this.tickRate,
      snapshotRate: this.snapshotRate,
      camelCase: this.options.camelCase !== false,
      eventType: this.types.event,
      shouldBlend: this.options.shouldBlend,
      keepMs: this.options.keepMs,
      added: (id, e) => this.onAdded(id, e),
      changed: (id, e, names) => this.onChanged(id, e, names),
      removed: (id, e) => this.onRemoved(id, e),
      event: (payload, tick) => this.onEvent(payload, tick),
      error: (e) => this.onError(e),
    });
  }

  snapshot(s, now) {
    if (!this.joined) {
      return;
    }
    const tick = toNumber(s.tick);
    this.newestSnapshotTick = Math.max(this.newestSnapshotTick, tick);
    this.ackedInputSeq = Math.max(this.ackedInputSeq, s.ackInputSeq || 0);
    if (this.replica) {
      if (!this.replica.applySnapshot(s, now)) {
        return;
      }
    } else if (this.types.state) {
      try {
        this.state = this.types.state.decode(s.state || new Uint8Array(0));
      } catch (e) {
        this.onError(new ServerError(ErrorCode.MALFORMED_MESSAGE, `snapshot ${tick}: ${e.message}`));
        return;
      }
    } else {
      this.state = s.state;
    }
    this.onSnapshot(s, this);
  }

  deliverEvent(gameEvent) {
    const payload = gameEvent.payload || new Uint8Array(0);
    const tick = toNumber(gameEvent.tick);
    let decoded = payload;
    if (this.types.event) {
      try {
        decoded = this.types.event.decode(payload);
      } catch (e) {
        this.onError(new ServerError(ErrorCode.MALFORMED_MESSAGE, `event at tick ${tick}: ${e.message}`));
        return;
      }
    }
    this.onEvent(decoded, tick);
  }

  /** A connection ended. Decides between reconnecting, rematching and ending. */
  dropped(code, reason, opened) {
    if (this.ended) {
      return;
    }
    const error = this.closeError || null;
    this.closeError = null;
    const rematch = !!this.matchmakeUrl && (code === CloseCode.REMATCH || code === CloseCode.SEAT_REFUSED
      || (!opened && this.reconnecting)); // the seat's node is gone: ask for another
    if (this.unloading || !this.reconnect || isFinalClose(code)) {
      this.finish({ code, reason, error });
      return;
    }
    if (!this.welcome && !rematch) {
      // Never joined: nothing to come back to.
      this.finish({ code, reason: reason || 'could not connect', error });
      return;
    }
    if (!this.reconnectToken && !rematch && !this.reconnecting) {
      this.finish({ code, reason, error }); // the server keeps no seats (--reconnect-grace-ms 0)
      return;
    }
    // Without a token while reconnecting (the seat was refused, a fresh join was under way): join anew.
    this.retry({ code, reason, rematch });
  }

  /** Schedules the next attempt with backoff, or gives up once the drop is older than reconnectGiveUpMs. */
  retry({ code, reason, rematch }) {
    const now = performance.now();
    if (this.droppedAtMs === null) {
      this.droppedAtMs = now;
    }
    if (now - this.droppedAtMs >= this.reconnectGiveUpMs) {
      this.finish({ code, reason: reason || 'gave up reconnecting' });
      return;
    }
    const first = this.attempts === 0 && rematch && code !== CloseCode.NORMAL;
    const base = Math.min(this.reconnectMaxDelayMs, this.reconnectFirstDelayMs * 2 ** this.attempts);
    const delayMs = Math.round(first ? Math.random() * 100 : base * (0.5 + Math.random() / 2));
    this.attempts++;
    this.reconnecting = true;
    this.onReconnecting({ attempt: this.attempts, delayMs, code, reason, rematch }, this);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.ended) {
        return;
      }
      if (rematch) {
        this.reconnectToken = null;
        this.matchmake();
      } else {
        this.open(this.url);
      }
    }, delayMs);
  }

  /** The session is over: stops timers, reports onClose once, rejects start() if no welcome came. */
  finish({ code, reason, error = null, cause = null }) {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.reconnecting = false;
    this.connected = false;
    this.joined = false;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    clearInterval(this.inputTimer);
    window.removeEventListener('pagehide', this.onPageHide);
    window.removeEventListener('pageshow', this.onPageShow);
    const socket = this.socket;
    this.socket = null;
    if (isFinalClose(code) && code !== CloseCode.NORMAL) {
      forgetSeat(this); // kicked, room ended, or a protocol close: that seat is gone
    }
    const info = { code, reason: reason || '', final: true, error, welcomed: !!this.welcome };
    if (this.firstWelcome) {
      const { reject } = this.firstWelcome;
      this.firstWelcome = null;
      reject(error || cause || Object.assign(new Error(`connection closed (code ${code}${reason ? `: ${reason}` : ''})`), { code }));
    }
    // onClose comes once no socket of this session is left open, and never inside the page's own call.
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      socket.onmessage = null;
      socket.onclose = () => this.onClose(info, this);
      socket.close(1000);
    } else {
      setTimeout(() => this.onClose(info, this), 0);
    }
  }

  send(fields) {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return false;
    }
    const ClientMessage = this.types.ClientMessage;
    socket.send(ClientMessage.encode(ClientMessage.fromObject(fields)).finish());
    this.sentMessages++;
    return true;
  }

  encodeInput(input) {
    if (input instanceof Uint8Array) {
      return input;
    }
    if (!this.types.input) {
      throw new Error('sendInput with an object needs options.types.input (the game input message type)');
    }
    return this.types.input.encode(this.types.input.fromObject(input)).finish();
  }

  /**
   * Sends one input now: `input` is an object of the game's input type (types.input) or its encoded
   * bytes. Gives it the next seq (returned), and reports the newest snapshot tick. While no connection
   * is joined the input is dropped, but its seq is still used (reconciliation sees it never acked).
   */
  sendInput(input) {
    const payload = this.encodeInput(input);
    this.seq = this.seq >= 0xffffffff ? 1 : this.seq + 1;
    if (this.joined) {
      this.send({ input: { seq: this.seq, payload, newestSnapshotTick: this.newestSnapshotTick } });
    }
    return this.seq;
  }

  /** Paced inputs (options.inputRate): the latest input, sent inputRate times a second while joined. null stops. */
  setInput(input) {
    this.latestInput = input === null ? null : this.encodeInput(input);
  }

  /** Sends a chat line (the server trims it, and drops it over --max-chat-chars). False when not joined. */
  chat(text) {
    return this.joined && this.send({ chat: { text: String(text) } });
  }

  /** Sends a ping now (pings also go out every pingIntervalMs); its pong updates rttMs. */
  ping() {
    if (!this.connected) {
      return false;
    }
    return this.send({ ping: { clientTime: Math.round(performance.now() * 1000) } });
  }

  /** Leaves for good: closes with 1000 (the server frees the seat at once) and forgets the stored seat. */
  close() {
    forgetSeat(this);
    this.finish({ code: CloseCode.NORMAL, reason: 'closed by the page' });
  }
}

/** Builds a TickwaveClient and starts it: resolves with the client once the first Welcome arrived. */
export async function connect(options) {
  const client = new TickwaveClient(options);
  await client.start();
  return client;
}
