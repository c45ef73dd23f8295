/** Injected faults: the next matching requests fail (or hang, or answer garbage) the way ARM can. */

export interface Fault {
  /** Any method when omitted (compared case-insensitively). */
  method?: string;
  /** Tested against the request path without its query string, as the client sent it. */
  path: RegExp;
  /**
   * The status to answer with, with ARM's error body. A 2xx status without `malformedBody` lets the request
   * through after `hangMs` (a slow answer, not a failure).
   */
  status: number;
  /** How many matching requests fail; unlimited by default. */
  times?: number;
  retryAfterSeconds?: number;
  /** Answer `status` with a body that is not JSON (though it says it is). */
  malformedBody?: boolean;
  /** Wait this long before answering. */
  hangMs?: number;
}

interface Armed {
  fault: Fault;
  remaining: number;
}

export class FaultTable {
  private armed: Armed[] = [];

  add(fault: Fault): void {
    this.armed.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.armed = [];
  }

  /** The first fault matching the request, counted as used; faults are tried in the order they were injected. */
  take(method: string, path: string): Fault | undefined {
    const found = this.armed.find(({ fault, remaining }) => {
      if (remaining <= 0) return false;
      if (fault.method !== undefined && fault.method.toUpperCase() !== method.toUpperCase()) return false;
      fault.path.lastIndex = 0;
      return fault.path.test(path);
    });
    if (!found) return undefined;
    found.remaining -= 1;
    this.armed = this.armed.filter((a) => a.remaining > 0);
    return found.fault;
  }
}
