/**
 * Protobuf wire-format reading (varints, length-delimited fields, skipping unknown fields by wire
 * type), bounds-checked: a malformed message raises DecodeError with the offending byte offset.
 */
export const WT_VARINT = 0;
export const WT_FIXED64 = 1;
export const WT_LEN = 2;
const WT_START_GROUP = 3;
const WT_END_GROUP = 4;
const WT_FIXED32 = 5;
const MAX_GROUP_DEPTH = 64;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A malformed message, with the byte offset where decoding stopped. */
export class DecodeError extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

/** A cursor over `buf[pos, end)`. */
export class Reader {
  /** The same bytes as a Buffer, whose string slicing is native. */
  private readonly text: Buffer;

  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    /** Moved in and out around nested messages instead of allocating a reader per message. */
    public end: number,
  ) {
    this.text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** An unsigned varint that must fit a safe integer (tags, lengths). */
  uvarint(): number {
    const start = this.pos;
    let value = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new DecodeError(start, 'truncated varint');
      const b = this.buf[this.pos++] as number;
      value += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) {
        if (!Number.isSafeInteger(value)) throw new DecodeError(start, 'varint exceeds 2^53');
        return value;
      }
    }
    throw new DecodeError(start, 'varint longer than 10 bytes');
  }

  /** A varint read as Go's int64 (two's complement), refused outside the safe-integer range. */
  int64(what: string): number {
    const start = this.pos;
    let value = 0;
    // Up to 7 bytes (49 bits) stay exact in a double: every realistic millisecond timestamp.
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) throw new DecodeError(start, 'truncated varint');
      const b = this.buf[this.pos++] as number;
      value += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return value;
    }
    let big = 0n;
    this.pos = start;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new DecodeError(start, 'truncated varint');
      const b = this.buf[this.pos++] as number;
      big |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        const n = Number(BigInt.asIntN(64, big));
        if (!Number.isSafeInteger(n)) throw new DecodeError(start, `${what} ${BigInt.asIntN(64, big)} is outside the safe integer range (±2^53)`);
        return n;
      }
    }
    throw new DecodeError(start, 'varint longer than 10 bytes');
  }

  /** The end of a length-delimited field starting at the cursor. */
  lengthEnd(): number {
    const at = this.pos;
    const n = this.uvarint();
    if (n > this.end - this.pos) throw new DecodeError(at, `length ${n} runs past the end of the message`);
    return this.pos + n;
  }

  skip(wireType: number, field: number, depth = 0): void {
    const at = this.pos;
    switch (wireType) {
      case WT_VARINT:
        this.uvarintAny();
        return;
      case WT_FIXED64:
        return this.advance(8, at);
      case WT_FIXED32:
        return this.advance(4, at);
      case WT_LEN:
        this.pos = this.lengthEnd();
        return;
      case WT_START_GROUP:
        if (depth >= MAX_GROUP_DEPTH) throw new DecodeError(at, 'groups nested too deeply');
        for (;;) {
          const fKey = this.tag();
          const f = Math.floor(fKey / 8);
          const wt = fKey & 7;
          if (wt === WT_END_GROUP) {
            if (f !== field) throw new DecodeError(at, `end group ${f} does not match start group ${field}`);
            return;
          }
          this.skip(wt, f, depth + 1);
        }
      default:
        throw new DecodeError(at, `unexpected wire type ${wireType} for field ${field}`);
    }
  }

  /** The next field's key (field number * 8 + wire type); no tuple, as this runs for every field. */
  tag(): number {
    const at = this.pos;
    const key = this.uvarint();
    if (key < 8) throw new DecodeError(at, 'illegal field number 0');
    return key;
  }

  /** A string field; `valid` is false when its bytes are not UTF-8 (they are then replaced by U+FFFD). */
  string(): { s: string; valid: boolean } {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    let ascii = true;
    for (let i = start; i < end; i++) {
      if ((this.buf[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return { s: this.text.toString('latin1', start, end), valid: true };
    try {
      return { s: STRICT_UTF8.decode(this.buf.subarray(start, end)), valid: true };
    } catch {
      return { s: this.text.toString('utf8', start, end), valid: false };
    }
  }

  private uvarintAny(): void {
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new DecodeError(start, 'truncated varint');
      if ((this.buf[this.pos++] as number) < 0x80) return;
    }
    throw new DecodeError(start, 'varint longer than 10 bytes');
  }

  private advance(n: number, at: number): void {
    if (n > this.end - this.pos) throw new DecodeError(at, `fixed${n * 8} field runs past the end of the message`);
    this.pos += n;
  }
}

/** Refuses a known field sent with another wire type (as gogo/protobuf does). */
export function expectWireType(r: Reader, got: number, want: number, field: string): void {
  if (got !== want) throw new DecodeError(r.pos, `field ${field} has wire type ${got}, expected ${want}`);
}

/** Copies a fixed64 double byte for byte into `vBytes` (a Float64Array's bytes), keeping NaN payloads. */
export function copyDouble(r: Reader, vBytes: Uint8Array, index: number): void {
  if (r.end - r.pos < 8) throw new DecodeError(r.pos, 'sample value runs past the end of the message');
  const src = r.buf;
  const at = index * 8;
  if (LITTLE_ENDIAN) {
    for (let k = 0; k < 8; k++) vBytes[at + k] = src[r.pos + k] as number;
  } else {
    for (let k = 0; k < 8; k++) vBytes[at + k] = src[r.pos + 7 - k] as number;
  }
  r.pos += 8;
}
