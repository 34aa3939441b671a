// Minimal declarations for the citation-js packages (they ship no types). Only what this project uses:
// the tests read RIS/BibTeX output back with citation-js's own parsers.

declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown, options?: Record<string, unknown>);
    data: Array<Record<string, unknown>>;
    format(format: string, options?: Record<string, unknown>): string;
  }
  export const plugins: {
    input: {
      /** Parses `input` as the given citation-js input type, e.g. '@ris/file' or '@biblatex/text'. */
      data(input: unknown, type: string): unknown;
    };
    config: { get(name: string): unknown };
  };
  const core: { Cite: typeof Cite; plugins: typeof plugins; version: string };
  export default core;
}

declare module '@citation-js/plugin-csl';
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-ris';
