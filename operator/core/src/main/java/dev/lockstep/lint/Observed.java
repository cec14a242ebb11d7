package dev.lockstep.lint;

import dev.lockstep.lint.rules.LockMode;
import dev.lockstep.lint.shadow.StatementObservation;

/**
 * The shadow database's account of a finding's statement, beside the static rule.
 *
 * @param observation what PostgreSQL did
 * @param ruleLock the lock the static rule expects, or null
 * @param ruleRewrite whether the static rule expects a rewrite
 * @param agrees whether it matches the static rule's lock and rewrite; null when they cannot be
 *     compared (the statement failed or did not run)
 * @param note what the observation means for the finding, in words; says so when it overrules the rule
 */
public record Observed(
    StatementObservation observation, LockMode ruleLock, boolean ruleRewrite, Boolean agrees, String note) {}
