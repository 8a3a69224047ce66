// Reading the bit stream of Snapshot.state (docs/replication.md, "The wire format"): bits run from the
// least significant bit of byte 0 upwards, and a w-bit value is written least significant bit first.

const POW2 = [];
for (let i = 0; i <= 32; i++) {
  POW2.push(2 ** i);
}

/** Thrown for a stream that does not follow the format (it ends early, or a gamma code is too long). */
export class MalformedStateError extends Error {
  constructor(message) {
    super(message);
    this.name = 'MalformedStateError';
  }
}

/** Reads values from a Uint8Array, front to back. One reader per stream; not shared. */
export class BitReader {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.bytes = bytes;
    this.bitPosition = 0;
    this.bitLength = bytes.length * 8;
  }

  /** One bit: 0 or 1. */
  bit() {
    if (this.bitPosition >= this.bitLength) {
      throw new MalformedStateError(`the state ends early (${this.bytes.length} bytes)`);
    }
    const p = this.bitPosition++;
    return (this.bytes[p >>> 3] >>> (p & 7)) & 1;
  }

  /** An unsigned value of `width` bits (0..32), as a number in [0, 2^width). */
  bits(width) {
    if (this.bitPosition + width > this.bitLength) {
      throw new MalformedStateError(`the state ends early (${this.bytes.length} bytes)`);
    }
    let value = 0;
    let done = 0;
    while (done < width) {
      const p = this.bitPosition;
      const offset = p & 7;
      const take = Math.min(8 - offset, width - done);
      const chunk = (this.bytes[p >>> 3] >>> offset) & ((1 << take) - 1);
      value += chunk * POW2[done];
      done += take;
      this.bitPosition += take;
    }
    return value;
  }

  /** Elias gamma code of v >= 0: n zero bits, a one bit, the low n bits of v + 1. Returns v (up to 2^32 - 1). */
  gamma() {
    let n = 0;
    while (this.bit() === 0) {
      n++;
      if (n > 32) {
        throw new MalformedStateError('a gamma code longer than 32 bits');
      }
    }
    return POW2[n] + this.bits(n) - 1;
  }

  /** A zigzag-coded 32-bit signed value: gamma(zigzag(d)) gives back d as an int32. */
  zigzagGamma() {
    return unzigzag(this.gamma());
  }
}

/** The inverse of zigzag(d) = (d << 1) ^ (d >> 31): z (unsigned 32 bits) back to the int32 d. */
export function unzigzag(z) {
  return ((z >>> 1) ^ -(z & 1)) | 0;
}

/** The number of bits needed to write v (0 <= v < 2^32; 0 for 0). */
export function bitLength(v) {
  return 32 - Math.clz32(v);
}
