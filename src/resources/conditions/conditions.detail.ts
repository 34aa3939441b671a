// A condition's detail as the API serves it: its own facts and counts, and the answer cards (topics) about it.
import type { Reader } from '../../store/client.js';
import { topicRefsForCondition } from '../topics/topics.queries.js';
import { getCondition } from './conditions.queries.js';

/** The condition with `topics` (issue 16: answer cards findable by condition); undefined when none has this id. */
export async function getConditionDetail(h: Reader, id: number) {
  const condition = await getCondition(h, id);
  return condition === undefined ? undefined : { ...condition, topics: await topicRefsForCondition(h, id) };
}
