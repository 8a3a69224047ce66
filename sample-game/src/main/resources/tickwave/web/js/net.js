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

/**
 * One session with the server. Call `onMessage(serverMessage, byteLength)` and `onClose(event)` are set
 * by the owner; `join` is sent as soon as the socket opens.
 */
/** The protocol version this client speaks (docs/protocol.md). */
export const PROTOCOL_VERSION = 2;

export class TickwaveConnection {
  constructor(proto, name) {
    this.proto = proto;
    this.name = name;
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
      this.send({ join: { name: this.name, protocolVersion: PROTOCOL_VERSION } });
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
