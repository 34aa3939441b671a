// SQL for a claim's PICO: reading it for a page of claims, writing it with its age groups, and the list filters over it.
import { eq } from 'drizzle-orm';
import type { AgeGroup, Pico } from '../../evidence/pico.js';
import type { Reader, Transaction } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import type { claim_picos } from '../../store/schema.js';

type PicoRow = typeof claim_picos.$inferSelect;

/**
 * List filters over PICO (see `matchesPicoFilters` in evidence/pico.ts for the semantics): an unstated value never
 * matches. Each is an indexed lookup from the claim (claim_picos by its key, age groups by theirs).
 */
export const PICO_FILTER_SQL = {
  age_group: 'EXISTS (SELECT 1 FROM claim_pico_age_groups ag WHERE ag.claim_id = c.id AND ag.age_group = @age_group)',
  sex: "EXISTS (SELECT 1 FROM claim_picos p WHERE p.claim_id = c.id AND p.sex IN (@sex, 'any'))",
  setting: 'EXISTS (SELECT 1 FROM claim_picos p WHERE p.claim_id = c.id AND p.setting = @setting)',
  outcome_code:
    "EXISTS (SELECT 1 FROM claim_picos p WHERE p.claim_id = c.id AND p.outcome_code_system || ':' || p.outcome_code = @outcome_code)",
} as const;

export function picoOfRow(r: PicoRow): Pico {
  return {
    population: {
      description: r.population,
      age_groups: r.age_groups as AgeGroup[],
      sex: r.sex as Pico['population']['sex'],
      setting: r.setting as Pico['population']['setting'],
    },
    intervention: r.intervention,
    comparator: r.comparator,
    outcome: {
      description: r.outcome,
      code:
        r.outcome_code_system === null || r.outcome_code === null
          ? null
          : {
              system: r.outcome_code_system as NonNullable<Pico['outcome']['code']>['system'],
              code: r.outcome_code,
              display: r.outcome_code_display,
            },
    },
    timeframe: r.timeframe,
  };
}

/**
 * The PICO of each claim in `ids` that has one, by claim id: one statement whatever the page size (like the other
 * hydration reads, the ids travel as one JSON parameter, so the statement has one shape).
 */
export async function picosOf(h: Reader, ids: readonly string[]): Promise<Map<string, Pico>> {
  if (ids.length === 0) return new Map();
  const rows = await h.all<Omit<PicoRow, 'age_groups'> & { age_groups: string }>(
    `SELECT * FROM claim_picos WHERE claim_id IN (SELECT value FROM ${dialectOf(h).jsonValues('?')})`,
    [JSON.stringify(ids)],
  );
  return new Map(rows.map((r) => [r.claim_id, picoOfRow({ ...r, age_groups: JSON.parse(r.age_groups) as string[] })]));
}

const columnsOf = (claimId: string, pico: Pico) => ({
  claim_id: claimId,
  population: pico.population.description,
  age_groups: [...pico.population.age_groups],
  sex: pico.population.sex,
  setting: pico.population.setting,
  intervention: pico.intervention,
  comparator: pico.comparator,
  outcome: pico.outcome.description,
  outcome_code_system: pico.outcome.code?.system ?? null,
  outcome_code: pico.outcome.code?.code ?? null,
  outcome_code_display: pico.outcome.code?.display ?? null,
  timeframe: pico.timeframe,
});

/** Replaces a claim's PICO (null removes it); true when anything changed. */
export async function writePico(tx: Transaction, claimId: string, pico: Pico | null): Promise<boolean> {
  const { claim_picos, claim_pico_age_groups } = tx.tables;
  const [current] = await tx.orm.select().from(claim_picos).where(eq(claim_picos.claim_id, claimId));
  const wanted = pico === null ? null : columnsOf(claimId, pico);
  if (JSON.stringify(current ?? null) === JSON.stringify(wanted)) return false;
  // The age groups follow the row by cascade; the search triggers re-index the claim on either write.
  await tx.orm.delete(claim_picos).where(eq(claim_picos.claim_id, claimId));
  if (wanted === null) return true;
  await tx.orm.insert(claim_picos).values(wanted);
  const groups = [...new Set(wanted.age_groups)];
  if (groups.length > 0)
    await tx.orm.insert(claim_pico_age_groups).values(groups.map((age_group) => ({ claim_id: claimId, age_group })));
  return true;
}
