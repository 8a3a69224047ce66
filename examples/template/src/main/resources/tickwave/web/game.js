// The dots game's page: joins, sends the arrow keys held as a dots.v1.Move, draws every dot.
import { connect } from '/sdk/tickwave.js';

const game = await connect({
  name: 'dot',
  protos: ['/proto/dots.proto'],   // the game's messages, served by its server
  types: { input: 'dots.v1.Move' }, // what setInput encodes
  inputRate: 20,                   // the latest input is sent 20 times a second
});
window.game = game; // for the console and the tests

const keys = new Set();
const axis = (minus, plus) => (keys.has(plus) ? 1 : 0) - (keys.has(minus) ? 1 : 0);
const steer = () => game.setInput({ dx: axis('ArrowLeft', 'ArrowRight'), dy: axis('ArrowUp', 'ArrowDown') });
addEventListener('keydown', (e) => { keys.add(e.key); steer(); });
addEventListener('keyup', (e) => { keys.delete(e.key); steer(); });

const canvas = document.getElementById('field'), g = canvas.getContext('2d');
function draw() {
  g.clearRect(0, 0, canvas.width, canvas.height);
  // The replicated state a little in the past, blended between snapshots: smooth at any frame rate.
  for (const dot of game.replica.buffer.sample(performance.now()).entities.values()) {
    g.fillStyle = dot.playerId === game.playerId ? '#fff' : '#4af';
    g.beginPath();
    g.arc(dot.x, dot.y, 10, 0, 2 * Math.PI);
    g.fill();
  }
  requestAnimationFrame(draw);
}
requestAnimationFrame(draw);
