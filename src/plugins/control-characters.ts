// Refuses a JSON write body whose text holds a C0 control character (other than tab and line breaks), naming the field,
// and a URL whose path or query holds a NUL, naming the parameter.
import fp from 'fastify-plugin';
import { codePoint, findControlCharacter } from '../http/control-characters.js';
import { ApiProblem, PROBLEM_CODES } from '../http/problem.js';

/**
 * Every JSON body (POST, PUT, PATCH) is checked before its schema: one walk covers every text field of studies,
 * claims, conditions, interventions and topics, nested ones included, so no field can be forgotten. A 400
 * `request.validation_failed` names the first such field, as a schema error would.
 */
export const controlCharactersPlugin = fp(
  async (app) => {
    // PostgreSQL refuses U+0000 in text, so a NUL in an id, a search or a reason would be a database error there (and
    // a different answer on SQLite): every method and route refuses it up front, the same on both engines.
    app.addHook('onRequest', async (request) => {
      // /v1 only: /health, /ready and the docs take no parameters a NUL could reach SQL through.
      if (!request.url.startsWith('/v1/') || !request.url.includes('%00')) return;
      const path = nulParameter(request.url);
      const message = 'contains U+0000 (NUL), which no identifier, filter or text of this API may hold';
      throw new ApiProblem(400, PROBLEM_CODES.validation, 'Invalid request', `${path}: ${message}`, [
        { path, message },
      ]);
    });
    app.addHook('preValidation', async (request) => {
      // /v1 only: /mcp answers in JSON-RPC, and its tools' arguments reach the read routes' own validation.
      if (!request.routeOptions.url?.startsWith('/v1/')) return;
      if (request.body === null || typeof request.body !== 'object') return;
      const found = findControlCharacter(request.body);
      if (found === null) return;
      const message = `contains the control character ${codePoint(found.char)}; text may hold tabs and line breaks but no other control character (U+0000-U+001F, U+007F)`;
      throw new ApiProblem(400, PROBLEM_CODES.validation, 'Invalid request', `${found.path}: ${message}`, [
        { path: found.path, message },
      ]);
    });
  },
  { name: 'control-characters' },
);

/**
 * Where a NUL (`%00`) sits in a request target: `query.<name>` for the first query parameter whose name or value holds
 * one, else `path`. Shape: `/v1/conditions?q=derm%00` → `query.q`; `/v1/claims/a%00b` → `path`.
 */
export function nulParameter(url: string): string {
  const q = url.indexOf('?');
  if (q === -1 || url.indexOf('%00') < q) return 'path';
  for (const pair of url.slice(q + 1).split('&')) {
    if (!pair.includes('%00')) continue;
    const name = pair.split('=')[0] ?? '';
    let decoded: string;
    try {
      decoded = decodeURIComponent(name.replaceAll('+', ' ')).replaceAll('\u0000', '');
    } catch {
      decoded = name;
    }
    return `query.${decoded}`;
  }
  return 'path';
}
