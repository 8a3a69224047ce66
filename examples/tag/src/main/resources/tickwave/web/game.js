// The tag game's page: joins, sends the arrow keys as tag.v1.Move, draws the grid and the runners.
import { Replica } from '/sdk/tickwave.js';

const root = await protobuf.load(['/proto/tickwave.proto', '/proto/tag.proto']);
const ClientMessage = root.lookupType('tickwave.v1.ClientMessage');
const ServerMessage = root.lookupType('tickwave.v1.ServerMessage');
const Move = root.lookupType('tag.v1.Move');

const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
socket.binaryType = 'arraybuffer';
const send = (message) => socket.send(ClientMessage.encode(message).finish());
let replica = null, me = 0, seq = 0;
socket.onopen = () => send({ join: { name: 'runner', protocolVersion: 2 } });
socket.onmessage = (e) => {
  const message = ServerMessage.decode(new Uint8Array(e.data));
  if (message.welcome) {
    me = message.welcome.playerId;
    replica = new Replica(message.welcome.replicationSchema, { camelCase: true });
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

const canvas = document.getElementById('grid'), g = canvas.getContext('2d'), CELL = 40;
(function draw() {
  g.clearRect(0, 0, canvas.width, canvas.height);
  for (const runner of replica ? replica.entities.values() : []) {
    g.fillStyle = runner.it ? '#e33' : '#4af';
    g.fillRect(runner.x * CELL + 4, runner.y * CELL + 4, CELL - 8, CELL - 8);
    if (runner.playerId === me) { g.strokeStyle = '#fff'; g.strokeRect(runner.x * CELL + 2, runner.y * CELL + 2, CELL - 4, CELL - 4); }
  }
  requestAnimationFrame(draw);
})();
