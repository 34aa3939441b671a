// The benchmark's machinery: server processes (spawned, timed to ready, killed with their whole group) and the load
// (autocannon with a fresh target per request, exact latencies, RSS sampled from /proc).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import autocannon from 'autocannon';

export const HOST = '127.0.0.1';

// ---------------------------------------------------------------- processes

const children = new Set<ChildProcess>();

/** Each child leads its own process group (npm and tsx start the work in a grandchild): kill the whole group. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export function killAll() {
  for (const child of children) killGroup(child, 'SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process that does the work: tsx (and npm) start the script in a child node process. */
export function leafPid(pid: number): number {
  for (let depth = 0; depth < 5; depth++) {
    let kids: string[] = [];
    try {
      kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      kids = readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .filter((d) => {
          try {
            return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
          } catch {
            return false;
          }
        });
    }
    if (kids.length === 0) return pid;
    pid = Number(kids[0]);
  }
  return pid;
}

export function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

export interface Started {
  name: string;
  base: string;
  /** Spawn to the first 200 from `readyPath`. */
  readyMs: number;
  /** Spawn to the first answer of any status (the socket listens). */
  listeningMs: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Spawns a server, polls `readyPath` every 5 ms until it answers 200 (bounded by `timeoutMs`), and returns its base
 * URL, the leaf pid (for RSS) and the times to listening and to ready.
 */
export async function startServer(options: {
  name: string;
  command: string;
  argv: string[];
  env: Record<string, string>;
  port: number;
  readyPath: string;
  timeoutMs: number;
  cwd: string;
  /**
   * Measure the spawned process itself rather than its innermost child: for a server started as `node script` (no
   * wrapper), whose own children (the API's integrity check) are not the server.
   */
  own?: boolean;
}): Promise<Started> {
  const started = performance.now();
  const child = spawn(options.command, options.argv, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const base = `http://${HOST}:${options.port}`;
  let readyMs = -1;
  let listeningMs = -1;
  while (performance.now() - started < options.timeoutMs) {
    if (child.exitCode !== null)
      throw new Error(`${options.name} exited (${child.exitCode}) before it was ready:\n${output}`);
    try {
      const res = await fetch(`${base}${options.readyPath}`);
      await res.arrayBuffer();
      if (listeningMs < 0) listeningMs = performance.now() - started;
      if (res.status === 200) {
        readyMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  if (readyMs < 0) {
    killGroup(child, 'SIGKILL');
    throw new Error(`${options.name} was not ready within ${options.timeoutMs} ms:\n${output}`);
  }
  return {
    name: options.name,
    base,
    readyMs,
    listeningMs,
    pid: options.own ? (child.pid as number) : leafPid(child.pid as number),
    stop: async () => {
      if (child.exitCode === null) killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
  };
}

// ---------------------------------------------------------------- load

export interface Target {
  path: string;
  headers?: Record<string, string>;
}

export interface Measurement {
  /** Responses with the expected status; `rps` counts only these. */
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  /** Responses with another status (a 503 from load shedding is fast and would flatter the numbers). */
  bad: number;
  errors: number;
  statuses: Record<string, number>;
  bytesPerResponse: number;
  peakRssMb: number;
  /** 1-minute load average when the measurement ended: other work on the machine skews every number. */
  load: number;
}

/** autocannon for `seconds` with a fresh target per request; every latency recorded (exact percentiles). */
export async function drive(options: {
  /** One server, or several replicas: each gets its share of the connections, and their latencies are pooled. */
  base: string | readonly string[];
  next: () => Target;
  seconds: number;
  expected: number;
  connections: number;
  /** The server's process (peak RSS is sampled from it); with several replicas, their processes (the largest counts). */
  pid?: number | readonly number[];
}): Promise<Measurement> {
  const { next, seconds, expected, connections } = options;
  const bases = typeof options.base === 'string' ? [options.base] : [...options.base];
  const pids = options.pid === undefined ? [] : typeof options.pid === 'number' ? [options.pid] : [...options.pid];
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let bad = 0;
  let bytes = 0;
  const statuses: Record<string, number> = {};
  let peakKb = 0;
  const samplePeak = () => {
    for (const pid of pids) peakKb = Math.max(peakKb, readStatusKb(pid, 'VmRSS'));
  };
  const sampler = pids.length ? setInterval(samplePeak, 100) : undefined;
  const instances = bases.map((base, i) =>
    autocannon({
      url: base,
      // The connections split as evenly as they go: 50 over two replicas is 25 and 25.
      connections: Math.floor(connections / bases.length) + (i < connections % bases.length ? 1 : 0),
      duration: seconds,
      timeout: 30,
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => {
            const target = next();
            return { ...request, path: target.path, headers: { ...request.headers, ...target.headers } };
          },
        },
      ],
    }),
  );
  const onResponse = (_client: unknown, status: number, resBytes: number, responseTime: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status !== expected) {
      bad++;
      return;
    }
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
    bytes += resBytes;
  };
  for (const instance of instances) instance.on('response', onResponse);
  const results = await Promise.all(instances);
  if (sampler) clearInterval(sampler);
  samplePeak();
  const result = {
    duration: Math.max(...results.map((r) => r.duration)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    timeouts: results.reduce((n, r) => n + r.timeouts, 0),
  };
  const sorted = latencies.slice(0, count).sort();
  const at = (q: number) => (count === 0 ? 0 : (sorted[Math.min(count - 1, Math.floor(q * count))] as number));
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i] as number;
  return {
    requests: count,
    rps: count / result.duration,
    p50: at(0.5),
    p99: at(0.99),
    mean: count ? sum / count : 0,
    max: count ? (sorted[count - 1] as number) : 0,
    bad,
    errors: result.errors + result.timeouts,
    statuses,
    bytesPerResponse: count ? bytes / count : 0,
    peakRssMb: peakKb / 1024,
    load: loadAverage(),
  };
}

/**
 * Waits (at most a minute) until `path` answers promptly three times in a row: a slow scenario leaves a backlog the
 * server is still working through, and that must not spill into the next measurement.
 */
export async function settle(base: string, path = '/health'): Promise<void> {
  const started = performance.now();
  let prompt = 0;
  while (prompt < 3 && performance.now() - started < 60_000) {
    const t = performance.now();
    try {
      await (await fetch(`${base}${path}`)).arrayBuffer();
    } catch {
      // not answering yet
    }
    prompt = performance.now() - t < 20 ? prompt + 1 : 0;
    await sleep(50);
  }
}

/**
 * Waits (up to 10 minutes) until the server's start-up integrity check, which /ready no longer waits for on a file
 * over 32 MB, has finished: it reads the whole file in a child process, and measuring beside it measured the check.
 */
export async function checked(base: string): Promise<void> {
  const started = performance.now();
  while (performance.now() - started < 600_000) {
    try {
      const body = (await (await fetch(`${base}/ready`)).json()) as { integrity?: { status?: string } };
      if (body.integrity?.status !== 'running') return;
    } catch {
      // not answering yet
    }
    await sleep(250);
  }
}

/** GET for setup work: retried while the server sheds load (503) or limits (429), bounded to ~30 s. */
export async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; etag: string | null }> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { headers });
    const text = await res.text();
    if ((res.status !== 503 && res.status !== 429) || attempt >= 60)
      return { status: res.status, text, etag: res.headers.get('etag') };
    await sleep(500);
  }
}

export const median = (values: number[]) => {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
