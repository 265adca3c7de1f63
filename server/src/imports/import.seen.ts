/**
 * The ids a bulk load has seen, as a Bloom filter: "not seen" is certain, "maybe seen" is not.
 * A bulk load copies the rows of ids it has certainly not seen straight into the incident table
 * and sends the others through the staging table, where PostgreSQL tells a repeat from a false
 * alarm. Its size is fixed when the load starts, so memory stays flat whatever the file holds:
 * a file larger than it was sized for only sends more rows the slower way.
 */
export class SeenIds {
  private readonly bits: Uint32Array;
  /** Bit count, a power of two. */
  private readonly size: number;

  /** Room for `expected` ids at about 1 % false alarms (10 bits and 7 probes an id), within `maxBytes`. */
  constructor(expected: number, maxBytes = 32 * 1024 * 1024) {
    let size = 1 << 16;
    while (size < expected * 10 && size < maxBytes * 8) size *= 2;
    this.size = size;
    this.bits = new Uint32Array(size / 32);
  }

  /** Whether the id may have been added before; adds it. */
  testAndAdd(id: string): boolean {
    // Two independent 32-bit hashes of the UTF-16 code units (FNV-1a and a multiplicative one);
    // probe i is h1 + i * h2 (Kirsch and Mitzenmacher's double hashing).
    let h1 = 0x811c9dc5;
    let h2 = 0x9e3779b9;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h2 |= 1;
    const mask = this.size - 1;
    let seen = true;
    for (let i = 0; i < 7; i++) {
      const bit = (h1 + Math.imul(i, h2)) & mask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((this.bits[word] & flag) === 0) {
        seen = false;
        this.bits[word] |= flag;
      }
    }
    return seen;
  }
}

/**
 * How many ids a file of `bytes` may hold, on the generous side: rows of a generic export take
 * 150 bytes and more; a gzip file holds about eight times its size.
 */
export function expectedIds(bytes: number, gzip: boolean): number {
  return Math.ceil(((gzip ? 8 : 1) * bytes) / 100);
}
