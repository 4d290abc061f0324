/**
 * Storage for finished chunks. A Uint8Array of its own costs an ArrayBuffer and an off-heap
 * backing store per chunk (a few hundred bytes, as much as the chunk's data); the arena instead
 * copies chunks into shared 64 KiB slabs and hands out views. A slab is freed by the garbage
 * collector once no chunk in it is referenced; chunks cut at about the same time share a slab
 * and expire together under retention, so little is pinned.
 */

/** Bytes per slab. */
export const SLAB_BYTES = 64 * 1024;

/** Copies chunk bytes into shared slabs. One arena per head. */
export class ChunkArena {
  private slab = new Uint8Array(0);
  private used = 0;
  /** Slabs started so far, for figures and tests. */
  slabs = 0;

  /** A copy of `bytes` living in a slab (or alone, when larger than a quarter slab). */
  store(bytes: Uint8Array): Uint8Array {
    const n = bytes.length;
    if (n > SLAB_BYTES / 4) return bytes.slice();
    if (this.used + n > this.slab.length) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
      this.slabs++;
    }
    const view = this.slab.subarray(this.used, this.used + n);
    view.set(bytes);
    this.used += n;
    return view;
  }
}
