package dev.lockstep.reconcile;

import dev.lockstep.api.Phase;
import dev.lockstep.api.RepairStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The kstatus conditions of a migration, derived from its phase and health: {@code Ready} (it
 * succeeded), {@code Reconciling} (the operator is working on it) and {@code Stalled} (it needs a
 * person to change something). Waiting for a person's approval or a pause is none of the three, so
 * it reads differently from both progress and failure.
 */
public final class Conditions {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String NEEDS_REPAIR = "NeedsRepair";

  private Conditions() {}

  /**
   * The conditions for {@code phase} and {@code health}, keeping each condition's
   * {@code lastTransitionTime} from {@code previous} unless its status flips.
   */
  public static List<Condition> derive(
      Phase phase, Health health, long generation, List<Condition> previous, Instant now) {
    return derive(phase, health, null, generation, previous, now);
  }

  /**
   * The same, and {@code NeedsRepair} (True) while {@code repair} is set: its reason names what is
   * stuck, its message the step, the version, the script and what is wrong. It is absent otherwise.
   */
  public static List<Condition> derive(
      Phase phase, Health health, RepairStatus repair, long generation, List<Condition> previous, Instant now) {
    List<Condition> conditions = derive3(phase, health, generation, previous, now);
    if (repair != null) {
      String message = "step " + repair.getStep()
          + (repair.getScript() == null ? "" : ", version " + repair.getVersion() + " (" + repair.getScript() + ")")
          + ": " + String.join("; ", repair.getProblems())
          + (repair.getMessage() == null ? "" : "; the last repair failed: " + repair.getMessage());
      conditions.add(condition(NEEDS_REPAIR, true, new Health(Reason.of(repair.getReason()), message, true), generation,
          previous, now));
    }
    return conditions;
  }

  private static List<Condition> derive3(
      Phase phase, Health health, long generation, List<Condition> previous, Instant now) {
    boolean ready = phase == Phase.Succeeded;
    boolean stalled = health.stalled();
    boolean reconciling = !stalled && !ready && !phase.isTerminal() && !phase.isWaitingForPerson();
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(READY, ready, health, generation, previous, now));
    conditions.add(condition(RECONCILING, reconciling, health, generation, previous, now));
    conditions.add(condition(STALLED, stalled, health, generation, previous, now));
    return conditions;
  }

  private static Condition condition(
      String type, boolean value, Health health, long generation, List<Condition> previous, Instant now) {
    String status = value ? "True" : "False";
    String since = now.toString();
    if (previous != null) {
      for (Condition old : previous) {
        if (type.equals(old.getType()) && status.equals(old.getStatus()) && old.getLastTransitionTime() != null) {
          since = old.getLastTransitionTime();
        }
      }
    }
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(health.reason().name())
        .withMessage(health.message())
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }
}
