// Turns PubMed efetch XML and MEDLINE (.nbib) text into PubMed records: picks the reader; pure functions, no I/O.

import { MalformedFileError, type ParseResult, stripBom } from './pubmed.fields.js';
import { parseMedline } from './pubmed.medline.js';
import { parsePubmedXml } from './pubmed.xml.js';

export {
  MalformedFileError,
  type ParseProblem,
  type ParseResult,
  type PubmedRecord,
} from './pubmed.fields.js';
export { parseMedline } from './pubmed.medline.js';
export { parsePubmedXml } from './pubmed.xml.js';

/** Parses either format: XML when the text starts with "<" (after a BOM and whitespace), MEDLINE otherwise. */
export function parsePubmedFile(text: string): ParseResult {
  const start = stripBom(text).trimStart();
  if (start === '') throw new MalformedFileError('The file is empty');
  return start.startsWith('<') ? parsePubmedXml(text) : parseMedline(text);
}
