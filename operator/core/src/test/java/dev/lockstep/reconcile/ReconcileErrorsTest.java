package dev.lockstep.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigrationStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An exception in a reconcile becomes a kstatus condition with the error. */
class ReconcileErrorsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(30);

  private static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static SchemaMigrationStatus progressing() {
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setPhase(Phase.Progressing);
    status.setCurrentStep("expand");
    status.setConditions(Conditions.derive(Phase.Progressing, Health.progressing(Reason.StepRunning, "step expand is running"),
        3, null, T0));
    return status;
  }

  @Test
  void whileRetryingReconcilingSaysWhatFailed() {
    SchemaMigrationStatus before = progressing();

    SchemaMigrationStatus after = ReconcileErrors.status(before, 3,
        new KubernetesClientException("Forbidden: secrets \"orders-db\" is forbidden", 403, null), 2, true, T1);

    Condition reconciling = condition(after.getConditions(), Conditions.RECONCILING);
    assertThat(reconciling.getStatus()).isEqualTo("True");
    assertThat(reconciling.getReason()).isEqualTo(Reason.ReconcileError.name());
    assertThat(reconciling.getMessage()).isEqualTo("reconcile failed (attempt 2; retrying): KubernetesClientException: "
        + "Forbidden: secrets \"orders-db\" is forbidden");
    assertThat(reconciling.getLastTransitionTime()).as("it was True already").isEqualTo(T0.toString());
    assertThat(reconciling.getObservedGeneration()).isEqualTo(3L);
    assertThat(condition(after.getConditions(), Conditions.STALLED).getStatus()).isEqualTo("False");
    assertThat(condition(after.getConditions(), Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(after.getPhase()).as("the rest of status is untouched").isEqualTo(Phase.Progressing);
    assertThat(after.getCurrentStep()).isEqualTo("expand");
    assertThat(condition(before.getConditions(), Conditions.RECONCILING).getReason())
        .as("the status passed in is not changed").isEqualTo("StepRunning");
  }

  @Test
  void afterTheLastRetryTheMigrationIsStalled() {
    SchemaMigrationStatus after = ReconcileErrors.status(progressing(), 3, new IllegalStateException("boom"), 6, false, T1);

    Condition stalled = condition(after.getConditions(), Conditions.STALLED);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo(Reason.ReconcileError.name());
    assertThat(stalled.getMessage()).isEqualTo(
        "reconcile failed (attempt 6; retries used up; trying again every minute): IllegalStateException: boom");
    assertThat(stalled.getLastTransitionTime()).isEqualTo(T1.toString());
    assertThat(condition(after.getConditions(), Conditions.RECONCILING).getStatus()).isEqualTo("False");
  }

  @Test
  void anErrorBeforeTheFirstStatusStillShows() {
    SchemaMigrationStatus after = ReconcileErrors.status(null, 1, new NullPointerException(), 1, true, T0);

    assertThat(after.getConditions()).extracting(Condition::getType)
        .containsExactly(Conditions.READY, Conditions.RECONCILING, Conditions.STALLED);
    assertThat(condition(after.getConditions(), Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(after.getConditions(), Conditions.RECONCILING).getMessage())
        .isEqualTo("reconcile failed (attempt 1; retrying): NullPointerException");
  }

  @Test
  void aSucceededMigrationStaysReady() {
    SchemaMigrationStatus done = new SchemaMigrationStatus();
    done.setPhase(Phase.Succeeded);
    done.setConditions(List.of(new ConditionBuilder().withType(Conditions.READY).withStatus("True")
        .withReason("Succeeded").withMessage("all steps succeeded").withLastTransitionTime(T0.toString()).build()));

    SchemaMigrationStatus after = ReconcileErrors.status(done, 2, new IllegalStateException("boom"), 1, true, T1);

    assertThat(condition(after.getConditions(), Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(condition(after.getConditions(), Conditions.READY).getReason()).isEqualTo("Succeeded");
  }

  @Test
  void aLongMessageIsCut() {
    String message = ReconcileErrors.message(new IllegalStateException("x".repeat(5000)), 1, true);

    assertThat(message).hasSize(ReconcileErrors.MAX_MESSAGE).endsWith("…");
  }
}
