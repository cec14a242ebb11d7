package dev.lockstep.validate;

import dev.lockstep.scripts.ScriptInventory;

import dev.lockstep.flags.FlagSet;
import java.util.Set;

/**
 * What the validator needs to know about the world, gathered by the reconciler beforehand so that
 * validation itself is plain code.
 *
 * @param secretKeys the keys of the database Secret, or {@code null} when it does not exist
 * @param scripts the scripts in the scripts ConfigMap, {@code null} when that ConfigMap does not
 *     exist, or {@link #SCRIPTS_IN_IMAGE} when they come from an image the operator cannot read
 * @param flags the flags of {@code spec.flagSource}, or {@code null} when there is none or it could
 *     not be read
 * @param flagSourceProblem why the flag source could not be read, or {@code null}
 */
public record ValidationFacts(Set<String> secretKeys, ScriptInventory scripts, FlagSet flags, String flagSourceProblem) {

  public ValidationFacts(Set<String> secretKeys, ScriptInventory scripts) {
    this(secretKeys, scripts, null, null);
  }

  /** Scripts that come from an image: the runner checks versions when it runs. */
  public static final ScriptInventory SCRIPTS_IN_IMAGE = ScriptInventory.of(Set.of());
}
