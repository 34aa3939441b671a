// C0 control characters in text: which ones a write may carry, where a body holds one, and stripping them for output.

/**
 * The control characters no text field may hold: C0 (U+0000-U+001F) except tab, line feed and carriage return, and
 * DEL (U+007F). They have no meaning in a title, statement or name, and raw in RIS, BibTeX or a terminal they corrupt
 * the output (a NUL ends a C string; RIS and BibTeX readers stop or mis-split on them). XML 1.0 (section 2.2, Char)
 * draws the same line, so nothing PubMed sends can hold one either.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's purpose.
export const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const FORBIDDEN_CONTROL_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** `U+0000`: how a problem names a character. */
export const codePoint = (char: string): string =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first string in a JSON value (depth first, in document order) that holds a forbidden control character: its
 * path in the problem's notation (`body.studies[0].finding`; an object key is checked too, under its own path) and
 * the character; null when there is none. Iterative: a hostile body nested 100,000 deep must not overflow the stack.
 */
export function findControlCharacter(value: unknown, root = 'body'): { path: string; char: string } | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      const char = FORBIDDEN_CONTROL.exec(item)?.[0];
      if (char !== undefined) return { path, char };
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], `${path}[${i}]`]);
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (const [key] of entries) {
        const char = FORBIDDEN_CONTROL.exec(key)?.[0];
        if (char !== undefined) return { path: `${path}.${key}`, char };
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return null;
}

/**
 * A copy of a JSON-like value with the forbidden control characters removed from every string (tab and line breaks
 * kept). For output built from stored text that an import or an older version may have let in.
 */
export function stripControlCharacters<T>(value: T): T {
  if (typeof value === 'string') return value.replace(FORBIDDEN_CONTROL_ALL, '') as T;
  if (Array.isArray(value)) return value.map(stripControlCharacters) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripControlCharacters(v)])) as T;
  return value;
}
