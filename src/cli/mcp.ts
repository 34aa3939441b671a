// `npm run mcp`: the MCP server over stdio, answering from the local database through the app's own routes.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { buildApp } from '../app.js';
import { ConfigError, databaseLocation, loadConfig } from '../config.js';
import { prepareDatabase } from '../curation/prepare.js';
import { createMcpServer } from '../mcp/mcp.server.js';
import { openDatabase } from '../store/client.js';

/**
 * Settings of the stdio server beyond the API's own (DATABASE_PATH, READS_REQUIRE_KEY, …): EVIDENCE_API_KEY is sent
 * as the caller's key on every read (needed when READS_REQUIRE_KEY is set); PUBLIC_URL is where the HTTP API is
 * served, the base of the `url`s in results.
 */
const StdioSettings = z.object({
  EVIDENCE_API_KEY: z.string().min(1).optional(),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://localhost:3000')
    .transform((url) => url.replace(/\/+$/, '')),
});

async function main() {
  let config: ReturnType<typeof loadConfig>;
  let settings: z.infer<typeof StdioSettings>;
  try {
    config = loadConfig();
    const parsed = StdioSettings.safeParse(
      Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== '')),
    );
    if (!parsed.success)
      throw new ConfigError(
        `Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
      );
    settings = parsed.data;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  // As `npm start` does, so a fresh checkout answers; stdout belongs to the protocol, so the app logs nothing.
  const db = openDatabase(databaseLocation(config), { poolSize: config.DATABASE_POOL_SIZE });
  await prepareDatabase(db);
  const app = await buildApp({ db, config, logger: false });
  await app.ready();

  const caller = settings.EVIDENCE_API_KEY ? { authorization: `Bearer ${settings.EVIDENCE_API_KEY}` } : {};
  const server = createMcpServer(app, caller, settings.PUBLIC_URL);
  const transport = new StdioServerTransport();
  // The client ends the session by closing stdin (or a signal): close the database and leave.
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void server.close().finally(() => app.close().finally(() => process.exit(0)));
  };
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  await server.connect(transport);
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
