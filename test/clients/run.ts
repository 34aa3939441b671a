// `npm run test:clients`: generate three clients from the live server's document, typecheck them strictly, run them.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/app.js';
import { freshDatabase } from '../helpers.js';

/**
 * The generated code is written at run time to test/clients/generated/ (ignored by git): what is tested is what a
 * user of each generator gets today from the document the server serves, not a copy that could go stale.
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GENERATED = `${HERE}generated/`;
const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`;
const CLIENTS = ['openapi-fetch', 'hey-api', 'orval'];

/**
 * Runs a command without blocking: the server the clients call lives in this process's event loop, and a loop
 * blocked for seconds would also make load shedding answer the next requests with 503.
 */
async function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number | null> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) => child.on('exit', resolve));
}

async function step(title: string, command: string, args: string[]) {
  process.stdout.write(`== ${title}\n`);
  const code = await run(command, args);
  if (code !== 0) throw new Error(`${title} failed with exit code ${code}`);
}

const app = await buildApp({ db: await freshDatabase() });
const base = await app.listen({ port: 0, host: '127.0.0.1' });
let failed = 0;
try {
  rmSync(GENERATED, { recursive: true, force: true });
  mkdirSync(GENERATED, { recursive: true });
  const spec = `${GENERATED}openapi.json`;
  writeFileSync(spec, await (await fetch(`${base}/openapi.json`)).text());

  await step('openapi-typescript', bin('openapi-typescript'), [
    spec,
    '-o',
    `${GENERATED}openapi-typescript/schema.d.ts`,
  ]);
  await step('@hey-api/openapi-ts', bin('openapi-ts'), ['-i', spec, '-o', `${GENERATED}hey-api`]);
  await step('orval (axios client)', bin('orval'), [
    '--input',
    spec,
    '--output',
    `${GENERATED}orval/api.ts`,
    '--client',
    'axios',
  ]);
  await step('tsc --strict over the generated clients and their use', bin('tsc'), ['-p', `${HERE}tsconfig.json`]);

  for (const client of CLIENTS) {
    process.stdout.write(`== ${client} against ${base}\n`);
    const code = await run(process.execPath, ['--import', 'tsx', `${HERE}${client}.ts`], {
      ...process.env,
      EVIDENCE_API_URL: base,
    });
    if (code !== 0) failed++;
  }
} finally {
  await app.close();
}
// Not in the `N passed, N failed` shape: CI reads that line as the run's test count, which is vitest's to give.
process.stdout.write(`== generated clients: ${CLIENTS.length - failed} of ${CLIENTS.length} ran correctly\n`);
process.exit(failed === 0 ? 0 : 1);
