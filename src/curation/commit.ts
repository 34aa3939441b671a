// The one write path: every change (API, seed, importers) is applied here, in one immediate transaction that
// records a revision for every entity it creates, changes or deletes and bumps the data version once.

import { type CitedStudy, ensureCitedStudy } from '../importers/civic/civic.queries.js';
import type { PubmedRecord } from '../importers/pubmed/pubmed.parse.js';
import { mergePubmedStudy } from '../importers/pubmed/pubmed.queries.js';
import {
  type ClaimImportState,
  type ClaimRecord,
  claimsRelatedTo,
  noteImportedStatus,
  purgeClaim,
  setClaimStatus,
  upsertClaim,
} from '../resources/claims/claims.queries.js';
import {
  attachOntologyTerm,
  deleteCondition,
  type OntologyAttachment,
  upsertCondition,
  type WriteOutcome,
} from '../resources/conditions/conditions.queries.js';
import type { ConditionInput } from '../resources/conditions/conditions.schemas.js';
import { type Action, type Entity, recordRevision } from '../resources/history/history.queries.js';
import { deleteIntervention, upsertIntervention } from '../resources/interventions/interventions.queries.js';
import type { InterventionInput } from '../resources/interventions/interventions.schemas.js';
import { claimIdsCiting, deleteStudy, refreshStudyClaims, upsertStudy } from '../resources/studies/studies.queries.js';
import type { StudyInput } from '../resources/studies/studies.schemas.js';
import { deleteTopic, topicSlugsWithClaim, upsertTopic } from '../resources/topics/topics.queries.js';
import type { TopicInput } from '../resources/topics/topics.schemas.js';
import type { Database, Reader, Transaction } from '../store/client.js';
import { bumpDataVersion } from '../store/data-version.queries.js';
import { snapshotOf } from './snapshots.js';

export type { WriteOutcome };

/** Who makes a commit and why: kept on every revision it writes. */
export interface CommitMeta {
  /** `key:<name>` for API keys, `seed`, `import:civic`, `import:pubmed`. */
  actor: string;
  reason?: string | null;
}

/** Per operation: a reason of its own instead of the commit's (an import says which release removed an item). */
export interface OpOptions {
  reason?: string | null;
}

type Snapshot = Record<string, unknown> | null;

/**
 * The entity operations of one commit. Each applies its change and, when something changed, writes the revision
 * (before and after snapshots, field diff) in the same transaction: there is no way to write without history.
 * Outcomes say what happened: `unchanged` writes nothing at all.
 */
export class Changes {
  /** Reads inside this transaction: they see the commit's own changes, and nothing another writer has in flight. */
  readonly read: Reader;
  readonly #tx: Transaction;
  readonly #meta: CommitMeta;
  #revisions = 0;

  constructor(tx: Transaction, meta: CommitMeta) {
    this.#tx = tx;
    this.#meta = meta;
    this.read = { engine: tx.engine, sqlite: tx.sqlite, orm: tx.orm };
  }

  /** Revisions written so far. */
  get revisions(): number {
    return this.#revisions;
  }

  async #record(entity: Entity, key: string, action: Action, before: Snapshot, options: OpOptions): Promise<void> {
    const after = action === 'delete' || action === 'purge' ? null : await snapshotOf(this.#tx, entity, key);
    await recordRevision(this.#tx, {
      entity,
      key,
      action,
      actor: this.#meta.actor,
      reason: options.reason === undefined ? (this.#meta.reason ?? null) : options.reason,
      before,
      after,
    });
    this.#revisions++;
  }

  async #upsert(
    entity: Entity,
    key: string,
    write: () => Promise<WriteOutcome>,
    options: OpOptions,
  ): Promise<WriteOutcome> {
    const before = await snapshotOf(this.#tx, entity, key);
    const outcome = await write();
    if (outcome !== 'unchanged')
      await this.#record(entity, key, outcome === 'inserted' ? 'create' : 'update', before, options);
    return outcome;
  }

  async #delete<R extends { deleted: boolean }>(
    entity: Entity,
    key: string,
    remove: () => Promise<R>,
    options: OpOptions,
  ): Promise<R> {
    const before = await snapshotOf(this.#tx, entity, key);
    const result = await remove();
    if (result.deleted) await this.#record(entity, key, 'delete', before, options);
    return result;
  }

  upsertCondition(input: ConditionInput, options: OpOptions = {}): Promise<WriteOutcome> {
    return this.#upsert('condition', input.slug, () => upsertCondition(this.#tx, input), options);
  }

  /**
   * Attaches an ontology term to a condition (its synonyms, codes and is_a links; see attachOntologyTerm), creating
   * the condition from `create` first when it does not exist: one revision either way (`create` or `update`).
   */
  applyOntologyTerm(
    slug: string,
    create: ConditionInput | null,
    term: OntologyAttachment,
    options: OpOptions = {},
  ): Promise<WriteOutcome> {
    return this.#upsert(
      'condition',
      slug,
      async () => {
        const created = create === null ? 'unchanged' : await upsertCondition(this.#tx, create);
        const attached = await attachOntologyTerm(this.#tx, slug, term);
        return created === 'inserted' ? 'inserted' : attached;
      },
      options,
    );
  }

  /** Deletes a condition nothing refers to; otherwise changes nothing and says what refers to it. */
  deleteCondition(slug: string, options: OpOptions = {}) {
    return this.#delete('condition', slug, () => deleteCondition(this.#tx, slug), options);
  }

  upsertIntervention(input: InterventionInput, options: OpOptions = {}): Promise<WriteOutcome> {
    return this.#upsert('intervention', input.slug, () => upsertIntervention(this.#tx, input), options);
  }

  deleteIntervention(slug: string, options: OpOptions = {}) {
    return this.#delete('intervention', slug, () => deleteIntervention(this.#tx, slug), options);
  }

  /**
   * Applies a write to a study, then its knock-on: the claims citing it recompute their largest sample size and
   * rank key (which read the study's size, design and date), and each claim whose stored row moved gets a revision
   * of its own after the study's.
   */
  async #studyWrite(key: string, write: () => Promise<WriteOutcome>, options: OpOptions): Promise<WriteOutcome> {
    const before = await snapshotOf(this.#tx, 'study', key);
    const claimsBefore = new Map<string, Snapshot>();
    for (const id of await claimIdsCiting(this.#tx, key)) claimsBefore.set(id, await snapshotOf(this.#tx, 'claim', id));
    const outcome = await write();
    if (outcome === 'unchanged') return outcome;
    await this.#record('study', key, outcome === 'inserted' ? 'create' : 'update', before, options);
    for (const id of await refreshStudyClaims(this.#tx, key))
      await this.#record('claim', id, 'update', claimsBefore.get(id) ?? null, options);
    return outcome;
  }

  /** A curated study (a PubMed article), replaced whole; claims citing it follow its size, design and date. */
  upsertStudy(input: StudyInput, options: OpOptions = {}): Promise<WriteOutcome> {
    return this.#studyWrite(input.pmid, () => upsertStudy(this.#tx, input), options);
  }

  deleteStudy(key: string, options: OpOptions = {}) {
    return this.#delete('study', key, () => deleteStudy(this.#tx, key), options);
  }

  /** Merges PubMed's bibliography into a study ("curated values win"; see importers/pubmed/pubmed.queries.ts). */
  mergePubmedStudy(record: PubmedRecord, overwrite: boolean, options: OpOptions = {}): Promise<WriteOutcome> {
    return this.#studyWrite(record.pmid, () => mergePubmedStudy(this.#tx, record, overwrite), options);
  }

  /**
   * A study known from a citing source (CIViC): a PubMed article by PMID, or a source without one (an ASCO abstract)
   * by its key, with the source's citation string. Added when new; its citation filled when empty.
   */
  citeSource(study: CitedStudy, options: OpOptions = {}): Promise<WriteOutcome> {
    return this.#upsert('study', study.key, () => ensureCitedStudy(this.#tx, study), options);
  }

  /**
   * Creates or updates a claim with its links; `importedAt` stamps an imported one, `importState` keeps what the
   * import wrote (so that the next import can tell a curator's change from its own).
   */
  upsertClaim(
    record: ClaimRecord,
    options: OpOptions & { importedAt?: string | null; importState?: ClaimImportState } = {},
  ): Promise<WriteOutcome> {
    return this.#upsert(
      'claim',
      record.id,
      () => upsertClaim(this.#tx, record, options.importedAt ?? null, options.importState),
      options,
    );
  }

  /**
   * Sets a claim's status alone, keeping its provenance: `retract` for a curator's retraction, `update` for an
   * import's withdrawal. False (and nothing written) when it already had that status.
   */
  async setClaimStatus(
    id: string,
    status: string,
    action: 'retract' | 'update',
    options: OpOptions & { byImport?: boolean } = {},
  ): Promise<boolean> {
    const before = await snapshotOf(this.#tx, 'claim', id);
    if (before === null || !(await setClaimStatus(this.#tx, id, status))) return false;
    if (options.byImport) await noteImportedStatus(this.#tx, id, status);
    await this.#record('claim', id, action, before, options);
    return true;
  }

  /**
   * Deletes a claim for good; the topics that listed it lose it, and the claims that named it as agreeing or
   * disagreeing lose that link; each gets a revision.
   */
  async purgeClaim(id: string, options: OpOptions = {}): Promise<boolean> {
    const before = await snapshotOf(this.#tx, 'claim', id);
    const topics = await topicSlugsWithClaim(this.#tx, id);
    const topicsBefore = new Map<string, Snapshot>();
    for (const slug of topics) topicsBefore.set(slug, await snapshotOf(this.#tx, 'topic', slug));
    const related = (await claimsRelatedTo(this.#tx, id)).filter((other) => other !== id);
    const relatedBefore = new Map<string, Snapshot>();
    for (const other of related) relatedBefore.set(other, await snapshotOf(this.#tx, 'claim', other));
    if (!(await purgeClaim(this.#tx, id))) return false;
    // The purge comes last in the feed: a reader of the feed sees the topics let go of the claim first.
    for (const slug of topics) await this.#record('topic', slug, 'update', topicsBefore.get(slug) ?? null, options);
    for (const other of related)
      await this.#record('claim', other, 'update', relatedBefore.get(other) ?? null, options);
    await this.#record('claim', id, 'purge', before, options);
    return true;
  }

  upsertTopic(input: TopicInput, options: OpOptions = {}): Promise<WriteOutcome> {
    return this.#upsert('topic', input.slug, () => upsertTopic(this.#tx, input), options);
  }

  async deleteTopic(slug: string, options: OpOptions = {}): Promise<boolean> {
    const result = await this.#delete(
      'topic',
      slug,
      async () => ({ deleted: await deleteTopic(this.#tx, slug) }),
      options,
    );
    return result.deleted;
  }
}

/**
 * Runs `work` in one immediate write transaction: the only way anything in src/ changes evidence. Every entity
 * operation records its revision as it applies; the data version is bumped once when any revision was written, so
 * a commit that changes nothing changes nothing. Rolls back everything when `work` throws; throws StoreBusyError
 * (a 503) when the write lock is not had within the database's bound.
 */
export async function commit<T>(db: Database, meta: CommitMeta, work: (changes: Changes) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const changes = new Changes(tx, meta);
    const result = await work(changes);
    if (changes.revisions > 0) await bumpDataVersion(tx);
    return result;
  });
}
