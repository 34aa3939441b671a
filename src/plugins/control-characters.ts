// Refuses a JSON write body whose text holds a C0 control character (other than tab and line breaks), naming the field.
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
