// The sections of docs/benchmarks.md that scripts other than bench/run.ts own, between `<!-- begin NAME -->` and
// `<!-- end NAME -->`: each script replaces only its own, and `npm run bench` keeps them all when it rewrites the file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCHMARKS_DOC = join(fileURLToPath(new URL('..', import.meta.url)), 'docs/benchmarks.md');

const begin = (name: string) => `<!-- begin ${name} -->`;
const end = (name: string) => `<!-- end ${name} -->`;

/** `body` wrapped in the markers of section `name` (e.g. `bench/release.ts`). */
export function section(name: string, body: string): string {
  return `${begin(name)}\n${body.trim()}\n${end(name)}`;
}

/** Replaces section `name` of docs/benchmarks.md with `body` (appended when absent); returns the section written. */
export function writeSection(name: string, body: string): string {
  const doc = existsSync(BENCHMARKS_DOC) ? readFileSync(BENCHMARKS_DOC, 'utf8') : '';
  const text = section(name, body);
  const start = doc.indexOf(begin(name));
  const stop = doc.indexOf(end(name));
  writeFileSync(
    BENCHMARKS_DOC,
    start >= 0 && stop > start
      ? `${doc.slice(0, start)}${text}${doc.slice(stop + end(name).length)}`
      : `${doc.trimEnd()}\n\n${text}\n`,
  );
  return text;
}

/** `doc` followed by every marked section of the current docs/benchmarks.md, so a rewrite keeps them. */
export function withKeptSections(doc: string): string {
  const old = existsSync(BENCHMARKS_DOC) ? readFileSync(BENCHMARKS_DOC, 'utf8') : '';
  const kept = old.match(/<!-- begin ([^>]+) -->[\s\S]*?<!-- end \1 -->/g) ?? [];
  return kept.length ? `${doc.trimEnd()}\n\n${kept.join('\n\n')}\n` : doc;
}
