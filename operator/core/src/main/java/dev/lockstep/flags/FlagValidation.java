package dev.lockstep.flags;

import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagSource;
import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a migration's {@code flags} steps against its flag source before anything runs. Pure.
 *
 * <p>Besides the fields themselves, it plays the steps in order on the flags' definitions with the same
 * {@link FlagRollout} the steps will use, so a change that would be refused mid-rollout (a percent
 * rollout of the variant already served, a targeting rule lockstep does not own) is reported up front.
 * Each message names the step and the flag, e.g. {@code step dual-write: flag orders-currency-dual-write
 * has no variant "maybe"; it defines on, off}.
 */
public final class FlagValidation {

  private FlagValidation() {}

  /**
   * Problems with the flags steps against the flag source, one line each; empty when they can run. Each
   * change's own fields ({@link #shapeProblems}) are checked by the flags step handler; only well-formed
   * changes are played here.
   *
   * @param source the migration's {@code spec.flagSource}, possibly null
   * @param flags the flags {@code source} holds now, or null when it is not set (or could not be read,
   *     which the caller reports)
   * @param recorded {@code status.flags} so far, possibly null: a flag this migration already changed is
   *     validated from its definition before the migration
   */
  public static List<String> validate(
      List<Step> steps, FlagSource source, FlagSet flags, Map<String, FlagStatus> recorded) {
    List<String> problems = new ArrayList<>();
    if (steps == null) {
      return problems;
    }
    Map<String, FlagDefinition> played = new HashMap<>();
    Map<String, FlagStatus> playedStatus = new HashMap<>();
    for (Step step : steps) {
      if (step.getFlags() == null) {
        continue;
      }
      String prefix = "step " + step.getName() + ": ";
      if (source == null) {
        problems.add(prefix + "flags steps need spec.flagSource; set featureFlag or configMap");
        continue;
      }
      if (flags == null) {
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (FlagChange change : step.getFlags()) {
        if (fieldProblem(change, seen) != null) {
          continue; // reported by the step's handler (shapeProblems); only well-formed changes are played
        }
        String problem = play(change, flags, recorded, played, playedStatus);
        if (problem != null) {
          problems.add(prefix + problem);
        }
      }
    }
    return problems;
  }

  /** Problems with a flags step on its own, without the flag source: each change's fields. */
  public static List<String> shapeProblems(Step step) {
    List<String> problems = new ArrayList<>();
    if (step.getFlags().isEmpty()) {
      problems.add("flags lists no change; name at least one flag and variant");
    }
    Set<String> seen = new HashSet<>();
    for (FlagChange change : step.getFlags()) {
      String problem = fieldProblem(change, seen);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }

  private static String fieldProblem(FlagChange change, Set<String> seen) {
    String key = change.getFlag();
    if (key == null || key.isBlank()) {
      return "a flag change has no flag; set flag to the flag's key";
    }
    if (!seen.add(key)) {
      return "flag " + key + " is changed twice; one step changes a flag once";
    }
    if (change.getVariant() == null || change.getVariant().isBlank()) {
      return "flag " + key + " has no variant to set; set variant";
    }
    Integer percent = change.getPercent();
    if (percent != null && (percent < 1 || percent > 100)) {
      return "flag " + key + ": percent " + percent + " is outside 1-100; give the share of traffic as a whole number from 1 to 100";
    }
    return null;
  }

  /** Applies the change to the played definition of its flag; returns why it cannot be, or null. */
  private static String play(FlagChange change, FlagSet flags, Map<String, FlagStatus> recorded,
      Map<String, FlagDefinition> played, Map<String, FlagStatus> playedStatus) {
    String key = change.getFlag();
    FlagDefinition current = played.get(key);
    if (current == null) {
      FlagStatus status = recorded == null ? null : recorded.get(key);
      if (status != null && status.getPreviousDefinition() != null) {
        current = FlagDefinition.parse(key, status.getPreviousDefinition());
      } else if (flags.flag(key).isPresent()) {
        current = flags.require(key);
      } else {
        return "flag " + key + " is not in " + flags.source() + "; it holds " + String.join(", ", flags.flags().keySet());
      }
    }
    if (current.isDisabled()) {
      return "flag " + key + " is DISABLED, so applications ignore its variants; lockstep never changes "
          + "state: enable the flag first";
    }
    try {
      played.put(key, FlagDefinition.of(key, FlagRollout.next(current, change, playedStatus.get(key))));
    } catch (FlagException e) {
      return e.getMessage();
    }
    FlagStatus status = new FlagStatus();
    status.setVariant(change.getVariant());
    status.setPercent(change.getPercent() == null ? 100 : change.getPercent());
    playedStatus.put(key, status);
    return null;
  }
}
