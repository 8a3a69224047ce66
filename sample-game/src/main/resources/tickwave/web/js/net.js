// The Tickwave connection: one WebSocket carrying protobuf ClientMessage / ServerMessage frames.
// Messages are encoded and decoded by protobufjs (loaded as a classic script: window.protobuf) from the
// very .proto files the server uses, which it serves under /proto/ (with tickwave_options.proto, which
// arena.proto imports for its replication options, and that file's google/protobuf/descriptor.proto).
// The replicated state in Snapshot.state is not protobuf: the SDK (/sdk/tickwave.js) decodes it.

export async function loadProtocol() {
  const root = await window.protobuf.load(['/proto/tickwave.proto', '/proto/arena.proto']);
  return {
    ClientMessage: root.lookupType('tickwave.v1.ClientMessage'),
    ServerMessage: root.lookupType('tickwave.v1.ServerMessage'),
    ArenaInput: root.lookupType('arena.v1.ArenaInput'),
    ArenaInfo: root.lookupType('arena.v1.ArenaInfo'),
    ArenaEvent: root.lookupType('arena.v1.ArenaEvent'),
  };
}

/** uint64 fields decode as numbers without long.js, as Long objects with it. */
export function toNumber(v) {
  return typeof v === 'number' ? v : (v && typeof v.toNumber === 'function' ? v.toNumber() : Number(v || 0));
}

/** The protocol version this client speaks (docs/protocol.md). */
export const PROTOCOL_VERSION = 2;

/** Error.code the server answers a reconnect token it does not know (any more) with; the socket stays open. */
export const RECONNECT_REFUSED = 12;

/**
 * Close codes after which coming back is pointless: our own normal closure and the server's closes for
 * breaking the protocol (docs/protocol.md "Reconnecting": these do not keep the seat). After any other
 * close (a lost network's 1006, the server's 1001, idle 4009, too slow 4010, rematch 4013) the page
 * reconnects.
 */
const FINAL_CLOSE_CODES = new Set([1000, 1002, 1008, 1009, 1011, 4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008, 4011]);

/** Whether a session that ended with this close should try to come back. */
export function shouldReconnectAfter(code) {
  return !FINAL_CLOSE_CODES.has(code);
}

/** Welcome.reconnect_token as text for sessionStorage, and back. */
export function tokenToText(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

export function tokenFromText(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * One WebSocket to the server. `onMessage(serverMessage, byteLength)`, `onOpen()` and `onClose(event)`
 * are set by the owner; `join` is sent as soon as the socket opens, with `reconnectToken` (bytes) when
 * given, to take a dropped seat back.
 */
export class TickwaveConnection {
  constructor(proto, name, reconnectToken = null) {
    this.proto = proto;
    this.name = name;
    this.reconnectToken = reconnectToken;
    this.onMessage = () => {};
    this.onClose = () => {};
    this.onOpen = () => {};
    this.open = false;
    this.sentMessages = 0;
    /** The newest snapshot tick received; reported on each input (no acks in protocol v2). */
    this.newestSnapshotTick = 0;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.socket = new WebSocket(`${scheme}//${location.host}/ws`);
    this.socket.binaryType = 'arraybuffer';
    this.socket.onopen = () => {
      this.open = true;
      this.sendJoin(this.reconnectToken);
      this.onOpen();
    };
    this.socket.onmessage = (event) => {
      const bytes = new Uint8Array(event.data);
      const message = this.proto.ServerMessage.decode(bytes);
      this.onMessage(message, bytes.byteLength);
    };
    this.socket.onclose = (event) => {
      this.open = false;
      this.onClose(event);
    };
  }

  /** A join; with a token it asks for that seat back (answered by a resumed welcome or RECONNECT_REFUSED). */
  sendJoin(reconnectToken) {
    const join = { name: this.name, protocolVersion: PROTOCOL_VERSION };
    if (reconnectToken && reconnectToken.length) {
      join.reconnectToken = reconnectToken;
    }
    this.send({ join });
  }

  send(fields) {
    if (!this.open || this.socket.readyState !== WebSocket.OPEN) {
      return;
    }
    const message = this.proto.ClientMessage.create(fields);
    this.socket.send(this.proto.ClientMessage.encode(message).finish());
    this.sentMessages++;
  }

  sendInput(seq, moveX, moveY, aim, fire) {
    const payload = this.proto.ArenaInput.encode(
      this.proto.ArenaInput.create({ moveX, moveY, aim, fire })).finish();
    this.send({ input: { seq, payload, newestSnapshotTick: this.newestSnapshotTick } });
  }

  sendChat(text) {
    this.send({ chat: { text } });
  }

  sendPing(clientTime) {
    this.send({ ping: { clientTime } });
  }

  close() {
    this.socket.close();
  }
}
