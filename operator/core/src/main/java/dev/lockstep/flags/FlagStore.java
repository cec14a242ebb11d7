package dev.lockstep.flags;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * One flag source — a FeatureFlag resource or a ConfigMap of flagd JSON — seen as what lockstep needs
 * from it: read the flags, change one flag and touch nothing else, put a saved definition back exactly.
 *
 * <p>Writes are read-modify-write under optimistic locking: when the source changed between the read
 * and the write, the store reads again and asks {@code change} again, so {@code change} must be a pure
 * function of the definition it is given (and must not modify it).
 */
public interface FlagStore {

  /** Names the source in messages, e.g. {@code FeatureFlag orders-flags}. */
  String description();

  /** Reads every flag of the source, as stored now. */
  FlagSet read();

  /**
   * Replaces the definition of flag {@code key} with {@code change} applied to its current definition.
   * Writes nothing when the result equals the current definition, so a repeated call is a no-op.
   *
   * @throws FlagException when the source or the flag does not exist, or {@code change} refuses
   */
  FlagWrite update(String key, Function<FlagDefinition, ObjectNode> change);

  /**
   * Puts back a definition saved from {@link FlagDefinition#json()}, so that the source stores exactly
   * that text for the flag again. Other flags are left as they are now.
   *
   * @return whether anything was written (false when the flag already had that definition)
   */
  boolean restore(String key, String savedDefinition);
}
