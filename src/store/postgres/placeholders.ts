// Turns the SQLite placeholder styles the query modules write (`@name`, `?`) into PostgreSQL's `$1, $2, ...`, once
// per statement text, so a portable statement runs unchanged on both engines.

export type Params = Readonly<Record<string, unknown>> | readonly unknown[];

export interface Translated {
  text: string;
  /** For `@name` statements: the parameter name of each `$n`, in order. Undefined for positional (`?`) statements. */
  names: string[] | undefined;
}

const cache = new Map<string, Translated>();

/**
 * `SELECT ... WHERE a = @x AND b > @x OR c = ?`: `@name` (a letter or `_` after `@`) becomes `$n`, the same `$n` each
 * time the name repeats; each `?` becomes the next `$n`. String literals ('...'), quoted identifiers ("..."),
 * dollar-quoted bodies, comments, and PostgreSQL's own operators `@@`, `@>`, `<@` are left alone. One statement
 * mixes either names or `?`, never both (better-sqlite3's rule too). Throws RangeError on a mix.
 */
export function translatePlaceholders(sqlText: string): Translated {
  const known = cache.get(sqlText);
  if (known) return known;
  let out = '';
  const names: string[] = [];
  let positional = 0;
  let i = 0;
  const n = sqlText.length;
  while (i < n) {
    const c = sqlText[i] as string;
    const next = sqlText[i + 1];
    if (c === "'" || c === '"') {
      const end = closing(sqlText, i, c);
      out += sqlText.slice(i, end);
      i = end;
    } else if (c === '-' && next === '-') {
      const end = sqlText.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out += sqlText.slice(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = sqlText.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      out += sqlText.slice(i, stop);
      i = stop;
    } else if (c === '$' && /[A-Za-z_$]/.test(next ?? '')) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sqlText.slice(i));
      if (tag) {
        const end = sqlText.indexOf(tag[0], i + tag[0].length);
        const stop = end === -1 ? n : end + tag[0].length;
        out += sqlText.slice(i, stop);
        i = stop;
      } else {
        out += c;
        i++;
      }
    } else if (c === '@' && /[A-Za-z_]/.test(next ?? '') && sqlText[i - 1] !== '@' && sqlText[i - 1] !== '<') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sqlText.slice(i + 1))?.[0] as string;
      let index = names.indexOf(name);
      if (index === -1) index = names.push(name) - 1;
      out += `$${index + 1}`;
      i += 1 + name.length;
    } else if (c === '?') {
      out += `$${++positional}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  if (names.length > 0 && positional > 0)
    throw new RangeError(`a statement uses both @names and ? placeholders: ${sqlText.slice(0, 80)}`);
  const translated = { text: out, names: names.length > 0 ? names : undefined };
  cache.set(sqlText, translated);
  return translated;
}

/** The end (exclusive) of a quoted run starting at `start`; a doubled quote is an escaped one. */
function closing(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/** The values for `$1, $2, ...` of a translated statement. */
export function valuesFor(translated: Translated, params: Params | undefined): unknown[] {
  if (params === undefined) return [];
  if (translated.names === undefined) return Array.isArray(params) ? [...params] : [];
  const named = params as Record<string, unknown>;
  return translated.names.map((name) => {
    if (!(name in named)) throw new RangeError(`missing named parameter @${name}`);
    return named[name];
  });
}
