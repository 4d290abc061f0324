/**
 * Bit-level writer and reader over a Uint8Array, most significant bit first, as the Gorilla
 * encoding needs. 64-bit quantities travel as two unsigned 32-bit halves (hi, lo) so that float
 * bit patterns (NaN payloads included) never pass through a JS number.
 */

const TWO_32 = 0x1_0000_0000;

/** Appends bits to a growable byte buffer. */
export class BitWriter {
  private buf: Uint8Array;
  /** Number of bits written. */
  bitLength = 0;

  constructor(initialBytes = 32) {
    this.buf = new Uint8Array(Math.max(1, initialBytes));
  }

  /** Writes the low `n` bits of `v` (n <= 32). */
  writeBits(v: number, n: number): void {
    this.ensure(n);
    const buf = this.buf;
    let pos = this.bitLength;
    while (n > 0) {
      const free = 8 - (pos & 7);
      const take = free < n ? free : n;
      const bits = (v >>> (n - take)) & ((1 << take) - 1);
      buf[pos >>> 3] = (buf[pos >>> 3] as number) | (bits << (free - take));
      pos += take;
      n -= take;
    }
    this.bitLength = pos;
  }

  /** Writes one bit. */
  writeBit(bit: boolean): void {
    this.ensure(1);
    const pos = this.bitLength;
    if (bit) this.buf[pos >>> 3] = (this.buf[pos >>> 3] as number) | (0x80 >>> (pos & 7));
    this.bitLength = pos + 1;
  }

  /** Writes the low `n` bits (n <= 64) of the 64-bit value hi:lo. */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
  }

  /** Writes an integral number in [-2^63, 2^63) as 64-bit two's complement. */
  writeInt64(x: number): void {
    const hi = Math.floor(x / TWO_32);
    const lo = x - hi * TWO_32;
    this.writeBits(hi >>> 0, 32);
    this.writeBits(lo >>> 0, 32);
  }

  /** Empties the writer, keeping its buffer for reuse. */
  reset(): void {
    this.buf.fill(0, 0, (this.bitLength + 7) >>> 3);
    this.bitLength = 0;
  }

  /** The written bytes (a copy trimmed to length). */
  bytes(): Uint8Array {
    return this.buf.slice(0, (this.bitLength + 7) >>> 3);
  }

  /** The written bytes without copying (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, (this.bitLength + 7) >>> 3);
  }

  /** Bytes held, including spare capacity. */
  get capacity(): number {
    return this.buf.length;
  }

  private ensure(nbits: number): void {
    const need = (this.bitLength + nbits + 7) >>> 3;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf);
    this.buf = next;
  }
}

/** Reads bits written by BitWriter. Reading past the end throws a RangeError. */
export class BitReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array, private readonly bitLength = buf.length * 8) {}

  /** Reads `n` bits (n <= 32) as an unsigned number. */
  readBits(n: number): number {
    const pos = this.pos;
    if (pos + n > this.bitLength) throw new RangeError(`bit stream ends at bit ${this.bitLength}, wanted ${n} bits at ${pos}`);
    if (n === 0) return 0;
    // A 40-bit window from the byte holding `pos` covers any n <= 32 (bytes past the end read as 0).
    const buf = this.buf;
    const i = pos >>> 3;
    const off = pos & 7;
    const top = (((buf[i] as number) << 24) | ((buf[i + 1] as number) << 16) | ((buf[i + 2] as number) << 8) | (buf[i + 3] as number)) << off;
    this.pos = pos + n;
    const rest = off + n - 32;
    if (rest <= 0) return (top >>> (32 - n)) >>> 0;
    return ((top >>> (32 - n)) | ((buf[i + 4] as number) >>> (8 - rest))) >>> 0;
  }

  /** Reads one bit. */
  readBit(): boolean {
    if (this.pos >= this.bitLength) throw new RangeError(`bit stream ends at bit ${this.bitLength}`);
    const pos = this.pos++;
    return (((this.buf[pos >>> 3] as number) >>> (7 - (pos & 7))) & 1) === 1;
  }

  /** Reads a 64-bit two's complement integer written by writeInt64. */
  readInt64(): number {
    const hi = this.readBits(32) | 0;
    const lo = this.readBits(32);
    return hi * TWO_32 + lo;
  }
}
