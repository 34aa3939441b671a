// The one write path: every change (API, seed, importers) is applied here, in one immediate transaction that
// records a revision for every entity it creates, changes or deletes and bumps the data version once.

import type { Retraction } from '../evidence/retraction.js';
import { type CitedStudy, ensureCitedStudy, liftUnverifiedSources } from '../importers/civic/civic.queries.js';
import type { PubmedRecord } from '../importers/pubmed/pubmed.parse.js';
import { type DeletionOutcome, markDeletedByPubmed, mergePubmedStudy } from '../importers/pubmed/pubmed.queries.js';
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
  recordClaimReview,
  retractedStudyKeys,
  retractionReason,
  syncClaimRetraction,
  withRetractionCaveat,
} from '../resources/claims/claims.retractions.js';
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
import {
  claimIdsCiting,
  claimsMissingRetractionFlag,
  deleteStudy,
  markRetractedByPublicationType,
  refreshStudyClaims,
  unmarkedRetractedPmids,
  upsertStudy,
} from '../resources/studies/studies.queries.js';
import type { StudyInput } from '../resources/studies/studies.schemas.js';
import { deleteTopic, topicSlugsWithClaim, upsertTopic } from '../resources/topics/topics.queries.js';
import type { TopicInput } from '../resources/topics/topics.schemas.js';
import type { Database, Reader, Transaction } from '../store/client.js';
import { bumpDataVersion } from '../store/data-version.queries.js';
import { snapshotOf } from './snapshots.js';

export type { DeletionOutcome, WriteOutcome };

/** Who makes a commit and why: kept on every revision it writes. */
export interface CommitMeta {
  /** `key:<id>` for API keys (the id, never the name: see resources/history), `seed`, `import:civic`, `import:pubmed`. */
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
    const { writable: _writable, ...read } = tx;
    this.read = read;
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
    known?: Snapshot,
  ): Promise<WriteOutcome> {
    const before = known === undefined ? await snapshotOf(this.#tx, entity, key) : known;
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
   * rank key (which read the study's size, design and date), and when the write retracted the study (or lifted its
   * retraction) they follow it (caveat, flag, review: see #syncRetraction); CIViC claims lose `unverified_sources` once
   * every PubMed article they cite has its record (liftUnverifiedSources). Each claim whose stored row moved gets one
   * revision of its own after the study's, naming the retraction when it is one of the changes.
   */
  async #studyWrite(key: string, write: () => Promise<WriteOutcome>, options: OpOptions): Promise<WriteOutcome> {
    const before = await snapshotOf(this.#tx, 'study', key);
    const claimsBefore = await this.#citingSnapshots(key);
    const outcome = await write();
    if (outcome === 'unchanged') return outcome;
    await this.#record('study', key, outcome === 'inserted' ? 'create' : 'update', before, options);
    const refreshed = await refreshStudyClaims(this.#tx, key);
    const retraction = await this.#syncRetraction(key, before);
    const byRetraction = new Set(retraction?.claims);
    const verified = new Set(await liftUnverifiedSources(this.#tx, key));
    for (const id of new Set([...refreshed, ...byRetraction, ...verified]))
      await this.#record(
        'claim',
        id,
        'update',
        claimsBefore.get(id) ?? null,
        retraction && byRetraction.has(id)
          ? { reason: retraction.reason }
          : verified.has(id)
            ? { reason: `Study PMID ${key} has its bibliographic record now: caveat unverified_sources lifted.` }
            : options,
      );
    return outcome;
  }

  /** A curated study (a PubMed article), replaced whole; claims citing it follow its size, design and date. */
  upsertStudy(input: StudyInput, options: OpOptions = {}): Promise<WriteOutcome> {
    return this.#studyWrite(input.pmid, () => upsertStudy(this.#tx, input), options);
  }

  deleteStudy(key: string, options: OpOptions = {}) {
    return this.#delete('study', key, () => deleteStudy(this.#tx, key), options);
  }

  /**
   * Merges PubMed's bibliography into a study ("curated values win"; see importers/pubmed/pubmed.queries.ts). When
   * the merge retracts the study, the claims resting on it act in this same commit (see #syncRetraction).
   */
  mergePubmedStudy(record: PubmedRecord, overwrite: boolean, options: OpOptions = {}): Promise<WriteOutcome> {
    return this.#studyWrite(record.pmid, () => mergePubmedStudy(this.#tx, record, overwrite), options);
  }

  /**
   * PubMed's `<DeleteCitation>` for a PMID: the study is marked deleted by PubMed (stamped with the commit's time) and
   * gets a revision; nothing is deleted. `not_in_database` and `already_marked` write nothing.
   */
  async markDeletedByPubmed(pmid: string, options: OpOptions = {}): Promise<DeletionOutcome> {
    // A PubMed article's key is its PMID: the revision is filed under the key like every other study write.
    const before = await snapshotOf(this.#tx, 'study', pmid);
    const outcome = await markDeletedByPubmed(this.#tx, pmid, new Date().toISOString());
    if (outcome === 'marked') await this.#record('study', pmid, 'update', before, options);
    return outcome;
  }

  /**
   * Retractions act (issue 9): after a study write, when the study became retracted, every claim linking it gets the
   * caveat `retracted_evidence`, `has_retracted_evidence` and a review request; when it is no longer retracted, claims
   * with no other retracted study lose them. Returns the claims whose row changed and the reason their revisions give
   * (naming the study and its notice); null when the retraction did not move. Records nothing: the caller does, with
   * the claims' snapshots from before the study changed, so each revision shows its study entry changing too. Only
   * PubMed articles are ever retracted (by PubMed or a curator's PUT), so `key` is the study's PMID whenever this acts.
   */
  async #syncRetraction(key: string, before: Snapshot): Promise<{ reason: string; claims: string[] } | null> {
    const after = await snapshotOf(this.#tx, 'study', key);
    const was = before?.retracted === true;
    const is = after?.retracted === true;
    if (was === is) return null;
    const claims: string[] = [];
    for (const id of await claimIdsCiting(this.#tx, key))
      if (await syncClaimRetraction(this.#tx, id, { requestReview: is })) claims.push(id);
    return { reason: retractionReason(key, (after?.retraction ?? null) as Retraction | null), claims };
  }

  /**
   * Catches up rows written before retractions acted (issue 9), as the import would have done them: a study stored
   * with PubMed's publication type "Retracted Publication" becomes retracted, and every claim resting on a retracted
   * study gets the caveat, the flag and a review request; each with its revision. Returns how many studies and
   * claims changed (0 on any database written since).
   */
  async reconcileRetractions(options: OpOptions = {}): Promise<{ studies: number; claims: number }> {
    const start = this.#revisions;
    let studies = 0;
    // PubMed articles only (a source without a PMID has no PubMed publication type): key = PMID.
    for (const pmid of await unmarkedRetractedPmids(this.#tx)) {
      const before = await snapshotOf(this.#tx, 'study', pmid);
      const claimsBefore = await this.#citingSnapshots(pmid);
      if (!(await markRetractedByPublicationType(this.#tx, pmid))) continue;
      await this.#record('study', pmid, 'update', before, options);
      const acted = await this.#syncRetraction(pmid, before);
      if (acted)
        for (const id of acted.claims)
          await this.#record('claim', id, 'update', claimsBefore.get(id) ?? null, { reason: acted.reason });
      studies++;
    }
    for (const id of await claimsMissingRetractionFlag(this.#tx)) {
      const before = await snapshotOf(this.#tx, 'claim', id);
      if (await syncClaimRetraction(this.#tx, id, { requestReview: true }))
        await this.#record('claim', id, 'update', before, options);
    }
    return { studies, claims: this.#revisions - start - studies };
  }

  async #citingSnapshots(key: string): Promise<Map<string, Snapshot>> {
    const snapshots = new Map<string, Snapshot>();
    for (const id of await claimIdsCiting(this.#tx, key)) snapshots.set(id, await snapshotOf(this.#tx, 'claim', id));
    return snapshots;
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
   * import wrote (so that the next import can tell a curator's change from its own). The caveat `retracted_evidence`
   * follows the linked studies whatever the record says, and linking a retracted study the claim did not rest on
   * before asks for a curator's review (see resources/claims/claims.retractions.ts).
   */
  async upsertClaim(
    record: ClaimRecord,
    options: OpOptions & { importedAt?: string | null; importState?: ClaimImportState } = {},
  ): Promise<WriteOutcome> {
    const before = await snapshotOf(this.#tx, 'claim', record.id);
    // Studies are linked by key; a retracted one is a PubMed article, whose key is the PMID retracted_evidence names.
    const retracted = await retractedStudyKeys(
      this.#tx,
      record.studies.map((s) => s.key),
    );
    const codes = withRetractionCaveat(record.caveats.codes, retracted.length > 0);
    const outcome = await upsertClaim(
      this.#tx,
      { ...record, caveats: { ...record.caveats, codes } },
      options.importedAt ?? null,
      options.importState,
    );
    const known = new Set(((before?.retracted_evidence ?? []) as { pmid: string }[]).map((e) => e.pmid));
    const synced = await syncClaimRetraction(this.#tx, record.id, {
      requestReview: retracted.some((key) => !known.has(key)),
    });
    if (outcome === 'unchanged' && !synced) return outcome;
    await this.#record('claim', record.id, outcome === 'inserted' ? 'create' : 'update', before, options);
    return outcome === 'unchanged' ? 'updated' : outcome;
  }

  /**
   * A curator's review of a claim awaiting one (retracted evidence): clears the request, keeps who, when and the
   * note, and records a `review` revision. False, and nothing written, when no review was pending.
   */
  async reviewClaim(id: string, note: string, options: OpOptions = {}): Promise<boolean> {
    const before = await snapshotOf(this.#tx, 'claim', id);
    if (before === null || !(await recordClaimReview(this.#tx, id, this.#meta.actor, note))) return false;
    await this.#record('claim', id, 'review', before, { reason: options.reason ?? note });
    return true;
  }

  /**
   * Sets a claim's status alone, keeping its provenance: the revision's action names the operation (`retract`,
   * `restore`, `publish` for a curator's; `update` for an import's withdrawal). False (and nothing written) when it
   * already had that status.
   */
  async setClaimStatus(
    id: string,
    status: string,
    action: 'retract' | 'restore' | 'publish' | 'update',
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
