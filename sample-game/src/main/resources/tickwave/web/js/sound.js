// Tiny synthesized sound effects with the Web Audio API: no audio files to load. The AudioContext is
// created on the Play click (browsers only allow audio after a user gesture). M mutes.

export class SoundEffects {
  constructor() {
    this.context = null;
    this.muted = localStorage.getItem('tickwave.muted') === '1';
  }

  /** Call from a user gesture (the Play button). */
  unlock() {
    if (this.context || !window.AudioContext) {
      return;
    }
    this.context = new AudioContext();
    this.master = this.context.createGain();
    this.master.gain.value = 0.18;
    this.master.connect(this.context.destination);
  }

  toggleMute() {
    this.muted = !this.muted;
    localStorage.setItem('tickwave.muted', this.muted ? '1' : '0');
    return this.muted;
  }

  /** One enveloped oscillator sweep from `from` Hz to `to` Hz over `seconds`. */
  tone(type, from, to, seconds, volume = 1) {
    if (!this.context || this.muted) {
      return;
    }
    const now = this.context.currentTime;
    const osc = this.context.createOscillator();
    const gain = this.context.createGain();
    osc.type = type;
    osc.frequency.setValueAtTime(from, now);
    osc.frequency.exponentialRampToValueAtTime(Math.max(1, to), now + seconds);
    gain.gain.setValueAtTime(volume, now);
    gain.gain.exponentialRampToValueAtTime(0.001, now + seconds);
    osc.connect(gain);
    gain.connect(this.master);
    osc.start(now);
    osc.stop(now + seconds + 0.02);
  }

  shot() {
    this.tone('square', 880, 220, 0.08, 0.35);
  }

  hit() {
    this.tone('sawtooth', 180, 60, 0.15, 0.8);
  }

  explosion() {
    this.tone('sawtooth', 120, 30, 0.5, 1);
    this.tone('square', 60, 20, 0.4, 0.6);
  }

  pickup() {
    this.tone('sine', 520, 1040, 0.18, 0.7);
  }
}
