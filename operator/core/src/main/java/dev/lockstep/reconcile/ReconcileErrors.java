package dev.lockstep.reconcile;

import dev.lockstep.api.SchemaMigrationStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What status says when a reconcile throws, so the error shows on the resource and not only in the
 * operator's log. While retries remain, {@code Reconciling} is True with the reason
 * {@link Reason#ReconcileError}; once they are used up, {@code Stalled} is. The rest of the status is left as the
 * last successful reconcile wrote it, and that reconcile's conditions come back with the next one.
 */
public final class ReconcileErrors {

  /** The reason of a condition that reports an exception thrown while reconciling. */
  private static final String REASON = Reason.ReconcileError.name();

  /** A condition message is for a person reading {@code kubectl describe}; stack traces stay in the log. */
  static final int MAX_MESSAGE = 1024;

  private ReconcileErrors() {}

  /**
   * The status to write for {@code error}.
   *
   * @param current the status as it is (may be {@code null} before the first write)
   * @param generation the resource's {@code metadata.generation}
   * @param attempt how many times this reconcile failed in a row, counting this one
   * @param retrying whether the operator tries again by itself
   */
  public static SchemaMigrationStatus status(SchemaMigrationStatus current, long generation, Throwable error,
      int attempt, boolean retrying, Instant now) {
    SchemaMigrationStatus status = current == null ? new SchemaMigrationStatus() : MigrationJson.copy(current);
    String message = message(error, attempt, retrying);
    List<Condition> previous = status.getConditions() == null ? List.of() : status.getConditions();
    List<Condition> conditions = new ArrayList<>();
    conditions.add(keep(previous, Conditions.READY, generation, now));
    conditions.add(condition(previous, Conditions.RECONCILING, retrying, message, generation, now));
    conditions.add(condition(previous, Conditions.STALLED, !retrying, message, generation, now));
    status.setConditions(conditions);
    return status;
  }

  /** {@code reconcile failed (attempt 2; retrying): KubernetesClientException: Forbidden ...}. */
  static String message(Throwable error, int attempt, boolean retrying) {
    String what = error.getMessage() == null || error.getMessage().isBlank()
        ? error.getClass().getSimpleName()
        : error.getClass().getSimpleName() + ": " + error.getMessage().strip();
    String message = "reconcile failed (attempt " + attempt + "; "
        + (retrying ? "retrying" : "retries used up; trying again every minute") + "): " + what;
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
  }

  /** Ready keeps what it said (a migration that succeeded did succeed); it is only created if absent. */
  private static Condition keep(List<Condition> previous, String type, long generation, Instant now) {
    return previous.stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseGet(() -> new ConditionBuilder().withType(type).withStatus("False").withReason(REASON)
            .withMessage("not reconciled yet").withObservedGeneration(generation)
            .withLastTransitionTime(now.toString()).build());
  }

  private static Condition condition(List<Condition> previous, String type, boolean value, String message,
      long generation, Instant now) {
    String status = value ? "True" : "False";
    String since = previous.stream()
        .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(Condition::getLastTransitionTime).findFirst().orElse(now.toString());
    return new ConditionBuilder().withType(type).withStatus(status).withReason(REASON).withMessage(message)
        .withObservedGeneration(generation).withLastTransitionTime(since).build();
  }
}
