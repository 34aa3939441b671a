// The README's shell examples do what they say when pasted: run against the real app's headers, not read by eye.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testApp } from './helpers.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** What `curl -sI` prints for a response: the status line and each header, CRLF-terminated. */
function curlHeaders(status: number, headers: Record<string, unknown>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${String(value)}`);
  return `HTTP/1.1 ${status} OK\r\n${lines.join('\r\n')}\r\n\r\n`;
}

describe('README curation example', () => {
  it('takes exactly the ETag from `curl -sI`, not another header that mentions it, and sends it as If-Match', async () => {
    const line = /^ETAG=\$\(curl -sI (\S+) \| (.+)\)$/m.exec(README);
    expect(line, 'the README sets ETAG from curl -sI').not.toBeNull();
    const [, url = '', pipeline = ''] = line as RegExpExecArray;
    const { app } = await testApp();
    const path = url.replace(/^localhost:3000/, '');
    const head = await app.inject({ method: 'HEAD', url: path });
    // CORS exposes ETag by name: a bare `grep -i etag` caught access-control-expose-headers too.
    expect(String(head.headers['access-control-expose-headers'])).toContain('ETag');
    const etag = execFileSync('bash', ['-c', pipeline], { input: curlHeaders(head.statusCode, head.headers) })
      .toString()
      .trim();
    expect(etag).toBe(head.headers.etag);
    expect(README).toMatch(/-H "If-Match: \$ETAG"/);
    await app.close();
  });
});
