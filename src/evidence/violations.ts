// The data an evidence rule returns when a write breaks it; the HTTP layer turns it into a 422 problem, evidence/ stays free of I/O.

/** One broken rule at one place in the request body, e.g. `{ path: 'effect_estimate.ci.low', rule: ..., message: ... }`. */
export interface FieldViolation {
  /** Dotted path from the part of the body the caller validated, e.g. `ci.low` or `domains[2].judgement`. */
  path: string;
  /** Stable rule id, `<area>.<rule>`, e.g. `effect_estimate.ci_contains_estimate`. */
  rule: string;
  message: string;
}

/**
 * A broken evidence rule, ready for `unprocessable(rule, detail)` or an ApiProblem with `errors` and extensions:
 * `rule` names the (first) rule, `detail` says what to change, `errors` names each path, `extensions` carries data a
 * client can show (e.g. the GRADE arithmetic).
 */
export interface RuleViolation {
  rule: string;
  detail: string;
  errors?: { path: string; message: string }[];
  extensions?: Record<string, unknown>;
}

/**
 * Folds field violations into one rule violation, each path prefixed (e.g. `studies[0].effect_estimates[1]`);
 * null when there are none.
 */
export function violationOf(fields: readonly FieldViolation[], prefix = ''): RuleViolation | null {
  const first = fields[0];
  if (first === undefined) return null;
  const errors = fields.map((f) => ({ path: joinPath(prefix, f.path), message: f.message }));
  return {
    rule: first.rule,
    detail: errors.map((e) => `${e.path}: ${e.message}`).join(' '),
    errors,
  };
}

export function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
