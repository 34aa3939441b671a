// Row types come from the table definitions (issue 11): a renamed or retyped column in store/schema.ts breaks the
// compilation of every query that reads it, and the types say what the runner really returns.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { getTableColumns, is, Table } from 'drizzle-orm';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as pgSchema from '../src/store/postgres/schema.js';
import type { Narrow, Row, RowOf } from '../src/store/rows.js';
import { columnList } from '../src/store/rows.js';
import * as sqliteSchema from '../src/store/schema.js';

const root = resolve(import.meta.dirname, '..');

describe('row types derived from store/schema.ts', () => {
  it('give what the runner returns: booleans as 0 | 1, JSON as its text, null where the column is nullable', () => {
    expectTypeOf<RowOf<'studies', 'retracted' | 'authors' | 'title' | 'year' | 'source_type'>>().toEqualTypeOf<{
      retracted: 0 | 1;
      authors: string;
      title: string | null;
      year: number | null;
      source_type: 'pubmed' | 'asco' | 'ash' | 'other';
    }>();
    expectTypeOf<Row<'claim_relations'>>().toEqualTypeOf<{
      claim_id: string;
      other_id: string;
      relation: 'agrees' | 'disagrees';
    }>();
  });

  it('refuse a column the table does not have, and a narrowing the column type does not admit', () => {
    // @ts-expect-error: claims has `statement`, not `statment`.
    type Misspelt = RowOf<'claims', 'statment'>;
    // @ts-expect-error: certainty is an integer column; a string vocabulary cannot narrow it.
    type Retyped = Narrow<RowOf<'claims', 'certainty'>, { certainty: 'high' }>;
    // @ts-expect-error: a narrowing names only columns the row has.
    type Stray = Narrow<RowOf<'claims', 'id'>, { direction: 'benefit' }>;
    expectTypeOf<Narrow<RowOf<'claims', 'direction' | 'id'>, { direction: 'benefit' | 'harm' }>>().toEqualTypeOf<{
      id: string;
      direction: 'benefit' | 'harm';
    }>();
    expectTypeOf<Misspelt | Retyped | Stray>().not.toBeNever();
  });

  it('columnList spells a SELECT list from the same keys as the row type', () => {
    expect(columnList('claims', 'c', ['id', 'statement', 'grade_level'])).toBe('c.id, c.statement, c.grade_level');
    // @ts-expect-error: a key that is not a column of the table is refused.
    columnList('claims', 'c', ['id', 'statment']);
  });

  it("names every column by its SQL name on both engines, so a row type's keys are the columns SQL selects", () => {
    const mismatches = [sqliteSchema, pgSchema].flatMap((schema) =>
      Object.entries(schema)
        .filter(([, table]) => is(table, Table))
        .flatMap(([name, table]) =>
          Object.entries(getTableColumns(table as Table))
            .filter(([key, column]) => key !== column.name)
            .map(([key, column]) => `${name}.${key} is ${column.name}`),
        ),
    );
    expect(mismatches).toEqual([]);
  });
});

/** The modules whose row types are derived: each must stop compiling when a column it reads is renamed. */
const QUERY_MODULES = [
  'src/importers/civic/civic.queries.ts',
  'src/resources/claims/claims.queries.ts',
  'src/resources/conditions/conditions.queries.ts',
  'src/resources/history/history.queries.ts',
  'src/resources/interventions/interventions.queries.ts',
  'src/resources/studies/studies.queries.ts',
  'src/resources/topics/topics.queries.ts',
];

/**
 * Type-checks QUERY_MODULES (and what they import) with src/store/schema.ts replaced by `schema`, and returns the
 * errors as `file: message` (the whole chain of the message on one line). Reuses the previous program's files.
 */
let previous: ts.Program | undefined;
function compileWithSchema(schema: string): string[] {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
  const schemaPath = join(root, 'src/store/schema.ts');
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile;
  host.readFile = (file) => (resolve(file) === schemaPath ? schema : readFile(file));
  const program = ts.createProgram(
    QUERY_MODULES.map((m) => join(root, m)),
    config.options,
    host,
    previous,
  );
  previous = program;
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const file = d.file ? relative(root, d.file.fileName) : '';
    return `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('renaming a column in store/schema.ts', () => {
  const schema = readFileSync(join(root, 'src/store/schema.ts'), 'utf8');

  it('breaks the compilation of the queries that read it, and only them', { timeout: 180_000 }, () => {
    expect(compileWithSchema(schema)).toEqual([]);
    const renames = [
      ["statement: text('statement').notNull(),", "claim_text: text('claim_text').notNull(),"],
      ["sample_size_note: text('sample_size_note'),", "size_note: text('size_note'),"],
      ["abstract_number: text('abstract_number'),", "abstract_no: text('abstract_no'),"],
      ["mesh_id: text('mesh_id'),", "mesh: text('mesh'),"],
      ["actor: text('actor').notNull(),", "author: text('author').notNull(),"],
      ["bottom_line: text('bottom_line').notNull(),", "answer: text('answer').notNull(),"],
      // The interventions' description, not the conditions' (the first in the file).
      [/(sqliteTable\(\s*'interventions',[\s\S]*?)description: text\('description'\),/, "$1summary: text('summary'),"],
    ] as const;
    const renamed = renames.reduce<string>((text, [from, to]) => text.replace(from, to), schema);
    expect(renamed.match(/text\('(claim_text|size_note|mesh|answer|summary|author|abstract_no)'\)/g)).toHaveLength(
      renames.length,
    );
    const errors = compileWithSchema(renamed);
    const columns = [
      'statement',
      'sample_size_note',
      'abstract_number',
      'mesh_id',
      'actor',
      'bottom_line',
      'description',
    ];
    // Which renamed columns each module names in its errors: a missing key of a row type, or a property it reads.
    const columnsIn = (file: string) =>
      columns.filter((c) =>
        errors.some((e) => e.startsWith(`${file}:`) && (e.includes(`'"${c}"'`) || e.includes(`Property '${c}'`))),
      );
    expect([...new Set(errors.map((e) => e.slice(0, e.indexOf(':'))))].sort()).toEqual(QUERY_MODULES);
    expect(Object.fromEntries(QUERY_MODULES.map((m) => [m, columnsIn(m)]))).toEqual({
      'src/importers/civic/civic.queries.ts': ['abstract_number', 'description'],
      'src/resources/claims/claims.queries.ts': ['statement', 'sample_size_note'],
      'src/resources/conditions/conditions.queries.ts': ['mesh_id'],
      'src/resources/history/history.queries.ts': ['actor'],
      'src/resources/interventions/interventions.queries.ts': ['description'],
      'src/resources/studies/studies.queries.ts': ['statement', 'sample_size_note', 'abstract_number'],
      'src/resources/topics/topics.queries.ts': ['bottom_line'],
    });
  });
});

describe('hand-written row interfaces', () => {
  it('are gone from the query modules: rows are typed from the tables', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts'))
          for (const m of readFileSync(join(root, path), 'utf8').matchAll(/^(?:export )?interface (\w+Row) /gm))
            found.push(`${path} ${m[1]}`);
      }
    };
    walk('src');
    expect(found.sort()).toEqual(['src/resources/search/search.queries.ts HitRow']);
  });
});
