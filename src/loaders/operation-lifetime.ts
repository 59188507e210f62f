import { VendorError, type VendorName } from '../errors.ts';

export type OperationEnd = 'deadline' | 'client-gone' | 'answered' | 'shutdown';

/**
 * How long one GraphQL operation still wants answers. It ends at its deadline (OPERATION_TIMEOUT, time in queues
 * included), when the client hangs up, or when the answer has been sent. Lookups made for it then stop waiting:
 * they reject with VENDOR_TIMEOUT at the deadline (so the operation answers what it has), and queued vendor work
 * that only it wanted is dropped before it is sent (a paid call goes out only if someone still waits for it).
 *
 * One listener list per operation rather than one AbortSignal listener per lookup: an operation of 1,000 INNs
 * would otherwise hang 1,000 listeners on one signal.
 */
export class OperationLifetime {
  private endedBy: OperationEnd | undefined;
  private readonly listeners = new Set<(end: OperationEnd) => void>();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(readonly timeoutMs: number) {
    this.timer = setTimeout(() => this.end('deadline'), timeoutMs);
    this.timer.unref();
  }

  get ended(): OperationEnd | undefined {
    return this.endedBy;
  }

  end(reason: OperationEnd): void {
    if (this.endedBy) return;
    this.endedBy = reason;
    clearTimeout(this.timer);
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener(reason);
  }

  /** Calls `listener` once when the operation ends; answers a function that unsubscribes. */
  onEnd(listener: (end: OperationEnd) => void): () => void {
    if (this.endedBy) {
      listener(this.endedBy);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The error a lookup still waiting when the operation ended answers with. */
  error(method: string, vendor: VendorName): VendorError {
    const why =
      this.endedBy === 'deadline'
        ? `the operation's deadline (OPERATION_TIMEOUT, ${this.timeoutMs} ms) passed before the vendor answered`
        : 'the operation ended before the vendor answered';
    return new VendorError('VENDOR_TIMEOUT', `${method}: ${why}`, { vendor, method, operationDeadline: true });
  }

  /**
   * `promise`, or a VENDOR_TIMEOUT rejection as soon as the operation ends; `onAbandon` runs then (the caller drops
   * its interest in the queued work).
   */
  race<T>(promise: Promise<T>, method: string, vendor: VendorName, onAbandon?: () => void): Promise<T> {
    if (this.endedBy) {
      onAbandon?.();
      return Promise.reject(this.error(method, vendor));
    }
    return new Promise<T>((resolve, reject) => {
      const unsubscribe = this.onEnd(() => {
        onAbandon?.();
        reject(this.error(method, vendor));
      });
      promise.then(
        (value) => {
          unsubscribe();
          resolve(value);
        },
        (error: unknown) => {
          unsubscribe();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }
}
