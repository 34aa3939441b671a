// What every generated client must see from the seeded server: the same facts, checked the same way in each.

export const MELANOMA_CLAIM = 'melanoma-microbiome-immunotherapy-response';
export const MELANOMA_PMID = '29097493';
export const MELANOMA_AMA =
  'Gopalakrishnan V, Spencer CN, Nezi L, et al. Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients. Science. 2018;359(6371):97-103. doi:10.1126/science.aan4236';
/**
 * Published claims in the seed (seeds/gut-skin-axis.json): 10 of its 12, two being drafts since issue 16. The clients
 * page through them 4 at a time: 3 pages, the last one short.
 */
export const PUBLISHED_CLAIMS = 10;

export function check(client: string, what: string, actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${client}: ${what}: expected ${e}, got ${a}`);
  process.stdout.write(`  ok  ${client}: ${what}\n`);
}

export function baseUrl(): string {
  const base = process.env.EVIDENCE_API_URL;
  if (!base) throw new Error('EVIDENCE_API_URL is not set (run through `npm run test:clients`)');
  return base;
}
