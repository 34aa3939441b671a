// The Node versions the README promises are ones every installed package supports (npm ci prints no EBADENGINE).
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const pkg = read('../package.json') as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = read('../package-lock.json') as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
};

describe('dependencies', () => {
  it('support every Node version in package.json engines (no EBADENGINE on Node 20 or 22)', () => {
    const ours = pkg.engines.node;
    const unsupported = Object.entries(lock.packages)
      .filter(([path, meta]) => path !== '' && !meta.optional)
      .flatMap(([path, meta]) => {
        const node = Array.isArray(meta.engines) ? undefined : meta.engines?.node;
        return node !== undefined && !semver.subset(ours, node) ? [`${path} needs node ${node}`] : [];
      });
    expect(unsupported).toEqual([]);
  });

  it('are each named in the README table that says why they are there', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Dependencies and why'));
    const rows = table.split('\n').filter((line) => line.startsWith('| '));
    const named = (name: string) =>
      rows.some((row) => {
        const cell = row.split('|')[1] ?? '';
        // A scope written as @scope/* covers its packages (@types/*, @citation-js/*).
        const scope = name.startsWith('@') ? `${name.split('/')[0]}/*` : undefined;
        return (
          new RegExp(`(^|[\\s,(])${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}([\\s,)]|$)`).test(cell) ||
          (scope !== undefined && cell.includes(scope))
        );
      });
    const unexplained = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter(
      (n) => !named(n),
    );
    expect(unexplained).toEqual([]);
  });

  it('states the Node range the README and the Dockerfile use', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || ^22.12.0');
    expect(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8')).toMatch(/FROM node:22/);
  });
});
