// The floor: a bare Fastify process answering precomputed bodies, the fastest this machine answers that many bytes.
// BODIES_FILE (JSON: name → body), PORT; `GET /floor/<name>` sends that body, `GET /floor/revalidate` a bare 304.
// Listens on 127.0.0.1 only.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const bodies = JSON.parse(readFileSync(process.env.BODIES_FILE ?? '', 'utf8')) as Record<string, string>;
// The same logger level the benchmarked server runs with, so neither pays for request logs.
const app = Fastify({ logger: { level: 'warn' } });
for (const [name, body] of Object.entries(bodies))
  app.get(`/floor/${name}`, (_request, reply) => {
    reply.type('application/json; charset=utf-8').send(body);
  });
app.get('/floor/revalidate', (_request, reply) => {
  reply.code(304).header('etag', 'W/"floor"').send();
});
app.get('/health', (_request, reply) => {
  reply.send({ status: 'ok' });
});

const close = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', close);
process.on('SIGINT', close);
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
