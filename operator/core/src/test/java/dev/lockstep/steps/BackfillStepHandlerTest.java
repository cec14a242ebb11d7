package dev.lockstep.steps;

import static dev.lockstep.reconcile.Migrations.backfill;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.BackfillUndo;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.jobs.JobLauncher;
import dev.lockstep.jobs.JobState;
import dev.lockstep.jobs.RunnerJobRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a backfill is undone: by its expressions, not at all when it declares none, else never past it. */
class BackfillStepHandlerTest {

  private final List<RunnerJobRequest> launched = new ArrayList<>();
  private final BackfillStepHandler handler = new BackfillStepHandler(new JobLauncher() {
    @Override
    public void launch(RunnerJobRequest request) {
      launched.add(request);
    }

    @Override
    public JobState state(String namespace, String name) {
      return JobState.missing();
    }
  }, (namespace, job) -> Optional.empty());

  private static StepContext undoing(Step step) {
    SchemaMigration m = migration(step);
    StepStatus status = new StepStatus();
    status.setName(step.getName());
    status.setState(StepState.RollingBack);
    status.setUndoAttempts(3);
    return new StepContext(m, step, status, Instant.parse("2026-11-24T10:00:00Z"));
  }

  @Test
  void aBackfillWithoutUndoIsIrreversibleAndNeverReportsAnUndo() {
    StepContext context = undoing(backfill("fill", null));

    assertThat(handler.whyIrreversible(context)).contains("backfill fill has no undo").contains("undo: {none: true}");
    assertThat(handler.observe(context).outcome()).isEqualTo(StepObservation.Outcome.FAILED);
  }

  @Test
  void aBackfillThatDeclaresNoneIsUndoneByLeavingItsRows() {
    Step step = backfill("fill", null);
    step.getBackfill().setUndo(new BackfillUndo());
    step.getBackfill().getUndo().setNone(true);
    StepContext context = undoing(step);

    assertThat(handler.whyIrreversible(context)).isNull();
    assertThat(handler.undo(context)).isEqualTo(StepEffects.NONE);
    assertThat(launched).isEmpty();
    assertThat(handler.observe(context).outcome()).isEqualTo(StepObservation.Outcome.SUCCEEDED);
  }

  @Test
  void anUndoWithExpressionsRunsAsAJobOfItsAttempt() {
    StepContext context = undoing(backfill("fill", "total_cents = NULL"));

    assertThat(handler.whyIrreversible(context)).isNull();
    handler.undo(context);

    assertThat(launched).singleElement().satisfies(request -> {
      assertThat(request.jobName()).isEqualTo("orders-currency-fill-undo-3");
      assertThat(request.args()).contains("total_cents = NULL");
    });
  }

  @Test
  void anUndoCoversOnlyTheKeysItsBackfillWentOver() {
    StepContext context = undoing(backfill("fill", "total_cents = NULL"));

    handler.undo(context);

    String forward = BackfillStepHandler.checkpoint(context, false);
    assertThat(launched).singleElement().satisfies(request -> {
      List<String> args = request.args();
      assertThat(args.get(args.indexOf("--checkpoint") + 1)).isEqualTo(forward + "/undo");
      assertThat(args.get(args.indexOf("--within-checkpoint") + 1)).isEqualTo(forward);
    });
  }
}
