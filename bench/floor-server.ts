// The floor: a bare Fastify route returning a precomputed JSON body, the fastest this machine answers that many bytes.
// BODY_FILE (the body), PORT; listens on 127.0.0.1 only.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const body = readFileSync(process.env.BODY_FILE ?? '', 'utf8');
// The same logger level the benchmarked server runs with, so neither pays for request logs.
const app = Fastify({ logger: { level: 'warn' } });
app.get('/floor', (_request, reply) => {
  reply.type('application/json; charset=utf-8').send(body);
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
