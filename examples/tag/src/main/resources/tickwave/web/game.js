// The tag game's page: joins, sends the arrow keys held as a tag.v1.Move, draws the runners.
import { connect } from '/sdk/tickwave.js';

const game = await connect({
  name: 'runner',
  protos: ['/proto/tag.proto'],   // the game's messages, served by its server
  types: { input: 'tag.v1.Move' }, // what setInput encodes
  inputRate: 20,                  // the latest input is sent 20 times a second
});
window.game = game; // for the console and the tests

const keys = new Set();
const axis = (minus, plus) => (keys.has(plus) ? 1 : 0) - (keys.has(minus) ? 1 : 0);
const steer = () => game.setInput({ dx: axis('ArrowLeft', 'ArrowRight'), dy: axis('ArrowUp', 'ArrowDown') });
addEventListener('keydown', (e) => { keys.add(e.key); steer(); });
addEventListener('keyup', (e) => { keys.delete(e.key); steer(); });

const canvas = document.getElementById('grid'), g = canvas.getContext('2d'), CELL = 40;
function draw() {
  g.clearRect(0, 0, canvas.width, canvas.height);
  for (const runner of game.replica.entities.values()) { // the newest state: runners jump from cell to cell
    g.fillStyle = runner.it ? '#e33' : '#4af';
    g.fillRect(runner.x * CELL + 4, runner.y * CELL + 4, CELL - 8, CELL - 8);
    if (runner.playerId === game.playerId) {
      g.strokeStyle = '#fff';
      g.strokeRect(runner.x * CELL + 1, runner.y * CELL + 1, CELL - 2, CELL - 2);
    }
  }
  requestAnimationFrame(draw);
}
requestAnimationFrame(draw);
