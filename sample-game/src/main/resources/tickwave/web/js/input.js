// Keyboard and mouse state, read by the fixed-rate input loop in main.js.

const LEFT = new Set(['KeyA', 'ArrowLeft', 'a', 'A']);
const RIGHT = new Set(['KeyD', 'ArrowRight', 'd', 'D']);
const UP = new Set(['KeyW', 'ArrowUp', 'w', 'W']);
const DOWN = new Set(['KeyS', 'ArrowDown', 's', 'S']);
const FIRE = new Set(['Space', ' ']);
const GAME_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Space', ' ']);

export class InputState {
  constructor(canvas) {
    this.held = new Set();
    this.mouseX = 0;
    this.mouseY = 0;
    this.mouseDown = false;
    /** False while the chat box has the focus: keys are text then, not controls. */
    this.enabled = true;
    window.addEventListener('keydown', (e) => {
      if (!this.enabled) {
        return;
      }
      this.held.add(e.code);
      this.held.add(e.key);
      if (GAME_KEYS.has(e.code) || GAME_KEYS.has(e.key)) {
        e.preventDefault();
      }
    });
    window.addEventListener('keyup', (e) => {
      this.held.delete(e.code);
      this.held.delete(e.key);
      // Shift and friends change e.key between down and up; forget every spelling of this key.
      if (e.key && e.key.length === 1) {
        this.held.delete(e.key.toLowerCase());
        this.held.delete(e.key.toUpperCase());
      }
    });
    window.addEventListener('blur', () => this.clear());
    canvas.addEventListener('mousemove', (e) => {
      this.mouseX = e.clientX;
      this.mouseY = e.clientY;
    });
    canvas.addEventListener('mousedown', (e) => {
      if (e.button === 0) {
        this.mouseDown = true;
      }
    });
    window.addEventListener('mouseup', (e) => {
      if (e.button === 0) {
        this.mouseDown = false;
      }
    });
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
  }

  clear() {
    this.held.clear();
    this.mouseDown = false;
  }

  anyOf(keys) {
    for (const k of keys) {
      if (this.held.has(k)) {
        return true;
      }
    }
    return false;
  }

  moveX() {
    return this.enabled ? (this.anyOf(RIGHT) ? 1 : 0) - (this.anyOf(LEFT) ? 1 : 0) : 0;
  }

  moveY() {
    return this.enabled ? (this.anyOf(DOWN) ? 1 : 0) - (this.anyOf(UP) ? 1 : 0) : 0;
  }

  fire() {
    return this.enabled && (this.mouseDown || this.anyOf(FIRE));
  }
}
