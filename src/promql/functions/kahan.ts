/**
 * Kahan-Neumaier summation as Prometheus' util/kahansum.Inc does it: the compensation is reset when
 * the running sum overflows, and the larger operand decides the correction term.
 */
export class KahanSum {
  sum = 0;
  c = 0;

  /** Adds `inc` to the running sum. */
  add(inc: number): void {
    const sum = this.sum;
    const t = sum + inc;
    if (t === Infinity || t === -Infinity) {
      this.c = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      this.c += sum - t + inc;
    } else {
      this.c += inc - t + sum;
    }
    this.sum = t;
  }

  /** Sets the state (for incremental-mean updates that rescale sum and compensation). */
  set(sum: number, c: number): void {
    this.sum = sum;
    this.c = c;
  }
}
