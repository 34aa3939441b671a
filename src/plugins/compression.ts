// Response compression with @fastify/compress: brotli or gzip above 1 KiB, and ETags that name the encoding.
import compress from '@fastify/compress';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

/** Bodies below this many bytes go out as they are: the headers would outweigh the saving. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * Server preference on a tie (`curl --compressed` offers `deflate, gzip, br, zstd` equally): brotli, about 15% smaller
 * than gzip on our JSON at quality 4 (the plugin's default; 11 costs ~10x the CPU). zstd is left out: Node 20 has no
 * encoder, and a representation should not depend on which Node the server runs on.
 */
export const ENCODINGS = ['br', 'gzip', 'deflate'] as const;

/**
 * Where compression sits, and why a future response cache must sit after it:
 *
 * @fastify/compress adds itself as the last `onSend` hook of every route registered after this plugin (route-level
 * hooks run after every app-level one: caching, x-request-id, CORS), so it sees the final serialized body once.
 * `tagEncodedVariant` runs right after it, on the same route-level list. A response cache added later registers its
 * `onSend` after this plugin too: it then stores the bytes as they leave, already compressed, with their
 * Content-Encoding and ETag, keyed by URL, the negotiated encoding and the data tag. On a hit it replies with those
 * bytes and their Content-Encoding, and the compressor passes any body that already has a Content-Encoding through
 * untouched, so each variant is compressed once, not on every hit (test/compression.test.ts checks that pass-through).
 */
export const compressionPlugin = fp(
  async (app) => {
    await app.register(compress, {
      global: true,
      threshold: COMPRESSION_THRESHOLD_BYTES,
      encodings: [...ENCODINGS],
    });
    // Registered after @fastify/compress's own onRoute hook, so this onSend is pushed after its one.
    app.addHook('onRoute', (route) => {
      if (route.compress === false) return;
      route.onSend = [...(route.onSend ? [route.onSend].flat() : []), tagEncodedVariant];
    });
  },
  { name: 'compression' },
);

/**
 * RFC 9110 §8.8.3: a strong ETag identifies one representation, and a brotli body is not the gzip one. A compressed
 * single resource therefore gets its encoding appended (`"<tag>.v3-br"`); If-Match and If-None-Match accept the
 * suffixed tag as the same version (`withoutEncodingSuffix` in http/concurrency.ts; plugins/caching.ts). Weak list tags may be shared by
 * semantically equal representations, so they stay as they are. Every response may vary by Accept-Encoding, so
 * shared caches are told so even when this one was too small to compress.
 */
async function tagEncodedVariant(_request: unknown, reply: FastifyReply, payload: unknown) {
  const vary = String(reply.getHeader('vary') ?? '');
  if (!/(^|,)\s*accept-encoding\s*(,|$)/i.test(vary))
    reply.header('vary', vary ? `${vary}, accept-encoding` : 'accept-encoding');
  const encoding = reply.getHeader('content-encoding');
  const etag = reply.getHeader('etag');
  if (
    typeof encoding === 'string' &&
    encoding !== 'identity' &&
    typeof etag === 'string' &&
    etag.startsWith('"') &&
    !etag.endsWith(`-${encoding}"`)
  )
    reply.header('etag', `${etag.slice(0, -1)}-${encoding}"`);
  return payload;
}
