/**
 * One queue per tenant: rule writes and the application of rule changes to the running groups
 * run one at a time per tenant, in call order, so a burst of API writes and directory polls can
 * never interleave half-applied changes. Tenants do not wait for each other.
 */
export class TenantLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` after everything queued before for `tenant`; its result or error is returned as is. */
  run<T>(tenant: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(tenant) ?? Promise.resolve();
    const result = prev.then(fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(tenant, tail);
    void tail.then(() => {
      if (this.tails.get(tenant) === tail) this.tails.delete(tenant);
    });
    return result;
  }

  /** Resolves once every queued task (of every tenant) has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
