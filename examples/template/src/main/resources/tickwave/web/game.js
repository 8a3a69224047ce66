// The dots game's page: joins, sends the arrow keys as dots.v1.Move, draws every dot.
import { Replica } from '/sdk/tickwave.js';

const root = await protobuf.load(['/proto/tickwave.proto', '/proto/dots.proto']);
const ClientMessage = root.lookupType('tickwave.v1.ClientMessage');
const ServerMessage = root.lookupType('tickwave.v1.ServerMessage');
const Move = root.lookupType('dots.v1.Move');

const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
socket.binaryType = 'arraybuffer';
const send = (message) => socket.send(ClientMessage.encode(message).finish());
let replica = null, me = 0, seq = 0;

socket.onopen = () => send({ join: { name: 'dot', protocolVersion: 2 } });
socket.onmessage = (e) => {
  const message = ServerMessage.decode(new Uint8Array(e.data));
  if (message.welcome) {
    me = message.welcome.playerId;
    replica = new Replica(message.welcome.replicationSchema, {
      tickRate: message.welcome.tickRate, snapshotRate: message.welcome.snapshotRate, camelCase: true });
  } else if (replica) {
    replica.handle(message);
  }
};
setInterval(() => socket.readyState === WebSocket.OPEN && send({ ping: { clientTime: Date.now() } }), 5000);

const held = new Set();
function sendMove() {
  const axis = (minus, plus) => (held.has(plus) ? 1 : 0) - (held.has(minus) ? 1 : 0);
  const move = { dx: axis('ArrowLeft', 'ArrowRight'), dy: axis('ArrowUp', 'ArrowDown') };
  send({ input: { seq: ++seq, payload: Move.encode(move).finish() } });
}
addEventListener('keydown', (e) => { if (e.key.startsWith('Arrow') && !held.has(e.key)) { held.add(e.key); sendMove(); } });
addEventListener('keyup', (e) => { if (held.delete(e.key)) sendMove(); });

const canvas = document.getElementById('field'), g = canvas.getContext('2d');
function draw() {
  g.clearRect(0, 0, canvas.width, canvas.height);
  for (const dot of replica ? replica.buffer.sample(performance.now()).entities.values() : []) {
    g.fillStyle = dot.playerId === me ? '#fff' : '#4af';
    g.beginPath(); g.arc(dot.x, dot.y, 10, 0, 2 * Math.PI); g.fill();
  }
  requestAnimationFrame(draw);
}
requestAnimationFrame(draw);

// For tests and the console: this player's id and the newest state of every dot.
window.dots = { me: () => me, all: () => (replica ? [...replica.entities.values()] : []) };
