// Turns what people type (case, accents, spacing, punctuation) into one lookup key.

/** "Atopic  Dermatitis" → "atopic dermatitis"; "Rosacée" → "rosacee"; "doid:1909" → "doid:1909". */
export function lookupKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\s_\u2010-\u2015-]+/g, ' ')
    .trim();
}
