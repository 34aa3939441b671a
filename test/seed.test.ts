// The curated seed: it encodes the source document faithfully, takes bibliography only from pmids.json, loads idempotently.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applySeed, parseSeed, readSeedFiles, SeedError } from '../src/curation/seed.js';
import { computeGradeLevel, GRADE_DOMAINS } from '../src/evidence/grade-domains.js';
import type { StudyDesign } from '../src/evidence/study-record.js';
import { checkBottomLine, topicOverallCertainty } from '../src/evidence/topic-certainty.js';
import { readDataVersion } from '../src/store/data-version.queries.js';
import { freshDatabase, getJson, testApp } from './helpers.js';

const SHARED = new URL('./fixtures/', import.meta.url);
const document = readFileSync(new URL('seed/gut-skin-axis.txt', SHARED), 'utf8');
const reference = JSON.parse(readFileSync(new URL('reference/pmids.json', SHARED), 'utf8')) as {
  records: Record<string, unknown>[];
};
const seed = readSeedFiles().find((f) => f.name === 'gut-skin-axis.json')?.seed as ReturnType<typeof parseSeed>;

describe('seeds/gut-skin-axis.json', () => {
  it('cites exactly the eight PMIDs of the source document as studies', async () => {
    const cited = [...document.matchAll(/\b\d{8}\b/g)].map((m) => m[0]).sort();
    expect(cited).toHaveLength(8);
    expect(seed.studies.map((s) => s.pmid).sort()).toEqual(cited);
  });

  it('takes every bibliographic field from pmids.json and leaves the rest null', async () => {
    for (const study of seed.studies) {
      const ref = reference.records.find((r) => r.pmid === study.pmid) as Record<string, any>;
      expect(ref, study.pmid).toBeDefined();
      expect(study.title).toBe(ref.title ?? null);
      expect(study.doi).toBe(ref.doi ?? null);
      expect(study.pmcid).toBe(ref.pmcid ?? null);
      expect(study.journal_iso).toBe(ref.journal ?? null);
      expect(study.journal).toBeNull();
      expect(study.year).toBe(ref.year ?? null);
      expect(study.volume).toBe(ref.volume ?? null);
      expect(study.issue).toBe(ref.issue ?? null);
      expect(study.pages).toBe(ref.pages ?? null);
      expect(study.sample_size).toBe(ref.sample_size ?? null);
      expect(study.sample_size_note).toBe(ref.sample_size_note ?? null);
      expect(study.author_count).toBe(ref.author_count ?? null);
      expect(study.publication_types).toEqual(ref.publication_types ?? []);
      const names = study.authors.map((a) => a.collective ?? `${a.family} ${a.initials}`);
      expect(names).toEqual(ref.authors_listed ?? []);
      const last = study.last_author ? `${study.last_author.family} ${study.last_author.initials}` : null;
      expect(last).toBe(ref.last_author ?? null);
      // A list is complete only when pmids.json gives no sign of truncation.
      const truncated =
        ref.last_author !== undefined || ref.author_count !== undefined || ref.authors_note !== undefined;
      if (ref.authors_listed) expect(study.authors_complete).toBe(!truncated);
    }
  });

  it('keeps the three PMIDs without verified metadata as bare PMIDs', async () => {
    for (const pmid of ['35866234', '35393656', '37513540']) {
      const study = seed.studies.find((s) => s.pmid === pmid);
      expect(study).toMatchObject({
        title: null,
        authors: [],
        journal: null,
        journal_iso: null,
        year: null,
        design: null,
      });
    }
  });

  it('records the melanoma study as an observational cohort of 112', async () => {
    const melanoma = seed.studies.find((s) => s.pmid === '29097493');
    expect(melanoma).toMatchObject({ design: 'cohort', sample_size: 112, species: 'mixed' });
    const claim = seed.claims.find((c) => c.id === 'melanoma-microbiome-immunotherapy-response');
    expect(claim?.studies.map((s) => s.pmid)).toEqual(['29097493']);
    expect(claim?.caveats.codes).toContain('animal_data');
  });

  it('grades nothing high, and every observational-only claim low or below', async () => {
    expect(seed.claims.some((c) => c.grade.level === 'high' || c.grade.level === 'moderate')).toBe(false);
    for (const c of seed.claims) expect(c.grade.rationale, c.id).toBeTruthy();
  });

  it('covers the association for eczema, psoriasis, acne and rosacea without claiming causality', async () => {
    for (const condition of ['eczema', 'psoriasis', 'acne', 'rosacea']) {
      const claim = seed.claims.find((c) => c.condition === condition && c.direction === 'association');
      expect(claim, condition).toBeDefined();
      expect(claim?.caveats.codes).toContain('causality_not_established');
    }
  });

  it('keeps the topic question and evidence summary from the document, and words the bottom line within its certainty', async () => {
    const [topic] = seed.topics;
    const lines = document.split('\n');
    expect(topic?.question).toBe(lines[0]);
    // The document's own bottom line claims more than very low certainty allows; the seed's says what it says, hedged.
    expect(checkBottomLine(lines[1] as string, 'very_low')?.detail).toBe(
      "The bottom line claims more than an overall certainty of very low allows: 'clear evidence' (needs moderate), 'well-supported' (needs moderate). At this certainty GRADE's wording is \"the evidence is very uncertain about ...\" (GRADE guidelines 26).",
    );
    expect(checkBottomLine(topic?.bottom_line as string, 'very_low')).toBeNull();
    for (const words of [
      'a balanced gut flora contributes to healthier skin',
      'is still preliminary',
      'concrete advice about probiotics is not yet available',
      'A varied, fibre-rich diet is',
      'lowest-risk way to support your gut flora',
    ]) {
      expect(topic?.bottom_line).toContain(words);
      expect(document).toContain(words);
    }
    // Every sentence of the evidence summary is the document's (the last one, from the draft claim on strains and
    // doses, without its leading "However, ").
    for (const sentence of (topic?.evidence_summary ?? '').split(/(?<=\.) /))
      expect(document.toLowerCase()).toContain(sentence.toLowerCase());
    expect(topic?.claims.sort()).toEqual(seed.claims.map((c) => c.id).sort());
  });

  it('states the topic overall certainty as very low: the lowest among its critical claims', async () => {
    const [topic] = seed.topics;
    const importance = topic?.claim_importance ?? {};
    const overall = topicOverallCertainty(
      seed.claims.map((c) => ({ id: c.id, status: c.status, importance: importance[c.id] ?? null, grade: c.grade })),
    );
    expect(overall).toMatchObject({ level: 'very_low', basis: 'critical_claims' });
    expect(overall.considered).toEqual([
      'gut-flora-skin-health-overall',
      'gut-dysbiosis-eczema-association',
      'gut-dysbiosis-psoriasis-association',
      'gut-dysbiosis-acne-association',
      'gut-dysbiosis-rosacea-association',
      'probiotics-prebiotics-eczema',
      'probiotics-prebiotics-acne',
    ]);
  });
});

const studyDesign = (pmid: string) => (seed.studies.find((s) => s.pmid === pmid)?.design ?? null) as StudyDesign | null;
const sourceTexts = [document, ...reference.records.flatMap((r) => Object.values(r).map(String))];
/** The passages a rationale quotes in straight double quotes. */
const quotes = (text: string) => [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);

describe('seeds/gut-skin-axis.json: evidence depth (issue 16) from the source text only', () => {
  it('grades every claim at the level its supporting designs and domain judgements give, with no override', async () => {
    for (const claim of seed.claims) {
      const designs = claim.studies
        .filter((s) => s.relation === 'supports')
        .map((s) => studyDesign((s.key ?? s.pmid) as string));
      const computed = computeGradeLevel({ supporting_designs: designs, domains: claim.grade.domains });
      expect(claim.grade.level, `${claim.id}: ${computed.explanation}`).toBe(computed.level);
      expect(claim.grade.override_reason, claim.id).toBeNull();
    }
  });

  it('quotes the source text (or pmids.json) in every domain judgement, and judges only what it says', async () => {
    const judged: string[] = [];
    for (const claim of seed.claims)
      for (const domain of GRADE_DOMAINS) {
        const judgement = claim.grade.domains?.[domain];
        if (!judgement) continue;
        judged.push(`${claim.id}:${domain}:${judgement.judgement}`);
        const quoted = quotes(judgement.rationale ?? '');
        expect(quoted.length, `${claim.id} ${domain}`).toBeGreaterThan(0);
        for (const quote of quoted)
          expect(
            sourceTexts.some((t) => t.includes(quote)),
            `${claim.id} ${domain}: "${quote}" is not in the source`,
          ).toBe(true);
      }
    for (const claim of seed.claims)
      for (const quote of quotes(claim.grade.rationale ?? ''))
        expect(
          sourceTexts.some((t) => t.includes(quote)),
          `${claim.id}: "${quote}"`,
        ).toBe(true);
    expect(judged.sort()).toEqual([
      'gut-flora-skin-health-overall:indirectness:serious',
      'gut-skin-axis-mechanism:indirectness:serious',
      'melanoma-microbiome-immunotherapy-response:imprecision:serious',
      'melanoma-microbiome-immunotherapy-response:indirectness:not_serious',
      'no-universal-ideal-gut-microbiome:indirectness:not_serious',
      'probiotics-prebiotics-acne:imprecision:serious',
      'probiotics-prebiotics-acne:risk_of_bias:serious',
      'probiotics-prebiotics-eczema:imprecision:serious',
      'probiotics-prebiotics-eczema:risk_of_bias:serious',
    ]);
  });

  it('starts the melanoma claim low from its cohort and rates it down once, for imprecision, to very low', async () => {
    const claim = seed.claims.find((c) => c.id === 'melanoma-microbiome-immunotherapy-response');
    const computed = computeGradeLevel({ supporting_designs: ['cohort'], domains: claim?.grade.domains ?? null });
    expect(computed.start).toMatchObject({ level: 'low', basis: 'observational', design: 'cohort' });
    expect(computed.steps.map((s) => [s.domain, s.judgement, s.change, s.level_after])).toEqual([
      ['indirectness', 'not_serious', 0, 'low'],
      ['imprecision', 'serious', -1, 'very_low'],
    ]);
    expect(claim?.pico?.population.description).toBe(
      reference.records.find((r) => r.pmid === '29097493')?.population as string,
    );
  });

  it('publishes only claims with a supporting study; the two resting on context studies alone are drafts', async () => {
    const contextOnly = seed.claims.filter((c) => !c.studies.some((s) => s.relation === 'supports'));
    expect(contextOnly.map((c) => [c.id, c.status])).toEqual([
      ['probiotic-strain-dose-unknown', 'draft'],
      ['fibre-rich-diet-gut-flora', 'draft'],
    ]);
    expect(seed.claims.filter((c) => c.status !== 'published')).toEqual(contextOnly);
  });

  it('adds no effect estimate, risk-of-bias assessment or PICO age, sex or setting: the source states none', async () => {
    expect(seed.claims.flatMap((c) => c.studies.flatMap((s) => s.effect_estimates))).toEqual([]);
    expect(seed.studies.flatMap((s) => s.risk_of_bias)).toEqual([]);
    for (const claim of seed.claims.filter((c) => c.pico !== null))
      expect(claim.pico?.population, claim.id).toMatchObject({ age_groups: [], sex: null, setting: null });
  });

  it('codes an outcome only with the MeSH id of the seeded condition it names', async () => {
    for (const claim of seed.claims) {
      const code = claim.pico?.outcome.code;
      if (!code) continue;
      const condition = seed.conditions.find((c) => c.slug === claim.condition);
      expect({ system: code.system, code: code.code }, claim.id).toEqual({ system: 'MeSH', code: condition?.mesh_id });
    }
  });
});

describe('seeds/gut-skin-axis.json says no more than its source text', () => {
  it('gives the probiotics claims no heterogeneous_findings caveat: the source reports missing trials, not conflicting results', async () => {
    // The source: "Early research shows possible benefits ... large, well-designed clinical studies are still lacking".
    expect(document).not.toMatch(/inconsisten|heterogen|conflicting|contradict/i);
    const { app } = await testApp();
    const codes = async (id: string) => (await getJson(app, `/v1/claims/${id}`)).body.caveats.codes;
    expect(await codes('probiotics-prebiotics-eczema')).toEqual(['preliminary', 'no_rcts', 'population_specific']);
    expect(await codes('probiotics-prebiotics-acne')).toEqual(['preliminary', 'no_rcts', 'population_specific']);
    // A draft: read from the seed itself, whatever the rules for reading drafts over the API.
    const draft = seed.claims.find((c) => c.id === 'probiotic-strain-dose-unknown');
    expect(draft?.caveats.codes).toEqual(['preliminary', 'no_rcts']);
    await app.close();
  });

  it('words the gut-skin axis as the model reviews describe, not as a shown cause', async () => {
    // The source: "what researchers call the gut-skin axis" ... "Cause and effect have not yet been definitively proven".
    const { app } = await testApp();
    const claim = (await getJson(app, '/v1/claims/gut-skin-axis-mechanism')).body;
    expect(claim.statement).toBe(
      'Reviews describe a gut-skin axis, a pathway involving the immune system and metabolic byproducts of gut bacteria through which gut bacteria may influence the skin; cause and effect have not been established in humans.',
    );
    expect(claim.plain_summary).toBe(
      'Researchers describe a link from gut bacteria to the skin, through the immune system and the substances the bacteria make; it has not been proven that gut bacteria change the skin.',
    );
    expect(claim.caveats.codes).toEqual(['causality_not_established', 'indirect_evidence']);
    await app.close();
  });
});

describe('applySeed', () => {
  it('is idempotent: a second run changes nothing, not even the data version', async () => {
    const db = await freshDatabase({ seed: false });
    const first = await applySeed(db, seed);
    expect(first.claims.inserted).toBe(seed.claims.length);
    const version = await readDataVersion(db);
    const snapshot = await db.all('SELECT id, updated_at FROM claims ORDER BY id');
    const second = await applySeed(db, seed);
    expect(second.claims).toEqual({ inserted: 0, updated: 0, unchanged: seed.claims.length });
    expect(second.studies).toEqual({ inserted: 0, updated: 0, unchanged: seed.studies.length });
    expect(second.conditions.unchanged).toBe(seed.conditions.length);
    expect(await readDataVersion(db)).toBe(version);
    expect(await db.all('SELECT id, updated_at FROM claims ORDER BY id')).toEqual(snapshot);
    await db.close();
  });

  it('updates what changed and bumps the data version', async () => {
    const db = await freshDatabase({ seed: false });
    await applySeed(db, seed);
    const version = await readDataVersion(db);
    const edited = structuredClone(seed);
    const claim = edited.claims.find((c) => c.id === 'gut-dysbiosis-acne-association');
    if (!claim) throw new Error('seed changed');
    claim.plain_summary = 'Edited summary.';
    const summary = await applySeed(db, edited);
    expect(summary.claims).toEqual({ inserted: 0, updated: 1, unchanged: seed.claims.length - 1 });
    expect(await readDataVersion(db)).not.toBe(version);
    await db.close();
  });

  it('rolls back the whole seed when one reference is broken', async () => {
    const db = await freshDatabase({ seed: false });
    const broken = structuredClone(seed);
    broken.claims[broken.claims.length - 1]!.interventions = ['no-such-intervention'];
    await expect(applySeed(db, broken)).rejects.toThrow(/no-such-intervention/);
    expect(await db.get('SELECT count(*) AS n FROM claims')).toEqual({ n: 0 });
    await db.close();
  });
});

describe('parseSeed', () => {
  it('rejects invalid content with the path and the reason', async () => {
    const bad = { source: 'x', studies: [{ pmid: '12ab' }] };
    expect(() => parseSeed(JSON.stringify(bad), 'bad.json')).toThrow(SeedError);
    expect(() => parseSeed(JSON.stringify(bad), 'bad.json')).toThrow(
      /bad\.json: studies\.0\.pmid: must be a PubMed id/,
    );
    expect(() => parseSeed('{', 'broken.json')).toThrow(/broken\.json: not valid JSON/);
    const claim = { ...seed.claims[0], grade: { scheme: 'GRADE', level: 'A' } };
    expect(() => parseSeed(JSON.stringify({ source: 'x', claims: [claim] }), 'g.json')).toThrow(
      /claims\.0\.grade\.level/,
    );
  });
});
