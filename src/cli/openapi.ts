// `npm run openapi`: writes the OpenAPI document the code generates to openapi/openapi.json (committed).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../app.js';
import { openScratchDatabase } from '../store/client.js';
import { migrateDatabase } from '../store/migrate.js';

export const OPENAPI_PATH = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));

/** The document as committed: stable key order from the code, two-space indent, trailing newline. */
export async function generateOpenApi(): Promise<string> {
  const db = openScratchDatabase('openapi');
  await migrateDatabase(db);
  const app = await buildApp({ db });
  await app.ready();
  const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_PATH, await generateOpenApi());
  process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
}
