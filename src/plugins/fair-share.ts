// A fair share of the event loop per client: the time each address's requests spend in handlers and serialisation
// is charged to it, and an address over its share gets 429 until it has paid back, so a few clients looping on
// expensive requests cannot starve everyone else.
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { isInternalRequest } from '../http/internal-request.js';
import { ApiProblem } from '../http/problem.js';

/** Probes are never charged nor refused (see plugins/hardening.ts). */
const EXEMPT_ROUTES = new Set(['/health', '/ready']);
/**
 * Loopback clients are local tools, or a proxy on the same host whose clients cannot be told apart without
 * TRUST_PROXY: charging that one address would give all of them together one client's share.
 */
const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * Milliseconds of server time per address as a leaky bucket: each request adds what it cost, the bucket drains at
 * `budgetMs` per `windowMs`, and an address whose bucket holds more than `budgetMs` waits until it drained below.
 * In memory and bounded: when full, the emptiest entries go first.
 */
export class TimeLedger {
  private readonly debts = new Map<string, { ms: number; at: number }>();
  private readonly drainPerMs: number;

  constructor(
    private readonly budgetMs: number,
    windowMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly maxEntries = MAX_TRACKED_ADDRESSES,
  ) {
    this.drainPerMs = budgetMs / windowMs;
  }

  private current(address: string, now: number): number {
    const entry = this.debts.get(address);
    if (!entry) return 0;
    return Math.max(0, entry.ms - (now - entry.at) * this.drainPerMs);
  }

  /** Milliseconds until `address` is back within its share; 0 when it is. */
  blockedFor(address: string): number {
    const over = this.current(address, this.now()) - this.budgetMs;
    return over > 0 ? over / this.drainPerMs : 0;
  }

  charge(address: string, ms: number): void {
    const now = this.now();
    const debt = this.current(address, now) + ms;
    this.debts.delete(address);
    if (this.debts.size >= this.maxEntries) this.evict(now);
    this.debts.set(address, { ms: debt, at: now });
  }

  get size(): number {
    return this.debts.size;
  }

  private evict(now: number): void {
    for (const [address] of this.debts) if (this.current(address, now) === 0) this.debts.delete(address);
    // Map order is last-charged order: the first entries are the longest idle.
    for (const address of this.debts.keys()) {
      if (this.debts.size < this.maxEntries) break;
      this.debts.delete(address);
    }
  }
}

const STARTED = Symbol('fairShareStarted');
type Timed = FastifyRequest & { [STARTED]?: number };

export const fairSharePlugin = fp<Pick<Config, 'CLIENT_TIME_BUDGET_MS' | 'CLIENT_TIME_WINDOW_MS'>>(
  async (app, config) => {
    if (config.CLIENT_TIME_BUDGET_MS === 0) return;
    const ledger = new TimeLedger(config.CLIENT_TIME_BUDGET_MS, config.CLIENT_TIME_WINDOW_MS);
    const exempt = (request: FastifyRequest) =>
      LOOPBACK.test(request.ip) || EXEMPT_ROUTES.has(request.routeOptions.url ?? '') || isInternalRequest(request);

    app.addHook('onRequest', async (request, reply) => {
      if (exempt(request)) return;
      const waitMs = ledger.blockedFor(request.ip);
      if (waitMs <= 0) return;
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      reply.header('retry-after', String(seconds));
      throw new ApiProblem(
        429,
        'request.server_time_exceeded',
        'Too many expensive requests',
        `Requests from this address used more than their share of server time (${config.CLIENT_TIME_BUDGET_MS} ms per ${config.CLIENT_TIME_WINDOW_MS / 1000} s); retry in ${seconds} second(s). Smaller pages and narrower queries cost less.`,
      );
    });
    // From the handler to the serialised body: the work the client asked for, without the time its body took to
    // arrive (a slow upload costs the server nothing) and without queueing behind other clients (database calls
    // are synchronous, so a handler runs to its end without another request's work in between).
    app.addHook('preHandler', async (request) => {
      (request as Timed)[STARTED] = performance.now();
    });
    app.addHook('onSend', async (request, _reply, payload) => {
      const started = (request as Timed)[STARTED];
      if (started !== undefined && !exempt(request)) ledger.charge(request.ip, performance.now() - started);
      return payload;
    });
  },
  { name: 'fair-share', dependencies: ['problem-details'] },
);
