package dev.lockstep.reconcile;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.InspectedScripts;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.queue.QueuePosition;
import dev.lockstep.scripts.Inspection;
import dev.lockstep.scripts.Inspection.Stage;
import dev.lockstep.steps.BuiltInKinds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Validation of scripts from an image waits for their inspection, records it once, then goes on as usual. */
class InspectionDecisionsTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final String JOB = "orders-currency-inspect-0123456789";
  private static final String IMAGE = "registry.example.com/orders-migrations:1.4.0";

  private final MigrationDecider decider = new MigrationDecider(true, BuiltInKinds.handlers());
  private SchemaMigration migration;

  private Decision next(Observation observation) {
    Decision decision = decider.decide(migration, observation, T0);
    migration.setStatus(StatusRecorder.record(migration, decision, T0).status());
    return decision;
  }

  private static Observation inspection(Stage stage, InspectedScripts result, String message) {
    return Observation.nothing().withInspection(new Inspection(stage, JOB, IMAGE, result, message));
  }

  @BeforeEach
  void validating() {
    migration = migration(migrate("expand", "2"), migrate("contract", "3"));
    next(Observation.nothing());
    next(Observation.nothing().withQueue(QueuePosition.clear()));
    assertThat(migration.getStatus().getPhase()).isEqualTo(Phase.Validating);
  }

  @Test
  void anImageNotYetInspectedStartsTheInspectionJobAndStaysValidating() {
    Decision d = next(inspection(Stage.NOT_STARTED, null, null));

    assertThat(d.action()).isEqualTo(new Action.InspectScripts());
    assertThat(d.status().getPhase()).isEqualTo(Phase.Validating);
    assertThat(d.status().getMessage()).isEqualTo("inspecting the scripts in image " + IMAGE + " (Job " + JOB + ")");
  }

  @Test
  void aRunningInspectionIsWaitedForAndWhatHoldsItUpIsSaid() {
    Decision d = next(inspection(Stage.RUNNING, null, "ImagePullBackOff: no such image"));

    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.status().getPhase()).isEqualTo(Phase.Validating);
    assertThat(d.status().getMessage()).endsWith("Job " + JOB + " is running; ImagePullBackOff: no such image");
  }

  @Test
  void theInspectionIsRecordedInStatusThenValidationGoesOnWithItsPointsOfNoReturn() {
    InspectedScripts found = new InspectedScripts();
    found.setImage(IMAGE);
    found.setPath("/migrations");
    found.setFiles(Map.of("V2__a.sql", "0123456789ab", "V3__b.sql", "ba9876543210"));

    Decision recorded = next(inspection(Stage.DONE, found, null));

    assertThat(recorded.action()).isEqualTo(Action.NONE);
    assertThat(recorded.status().getPhase()).isEqualTo(Phase.Validating);
    assertThat(recorded.status().getInspectedScripts().getFiles()).containsOnlyKeys("V2__a.sql", "V3__b.sql");
    assertThat(recorded.status().getMessage()).isEqualTo("inspected the scripts in image " + IMAGE
        + ": 2 scripts; validating next");

    Decision validated = next(Observation.nothing().withValidation(List.of())
        .withNoReturn(List.of("step contract is a point of no return: version 3 has no undo script")));

    assertThat(validated.status().getPhase()).isEqualTo(Phase.Progressing);
    assertThat(validated.status().getMessage())
        .isEqualTo("the spec is valid; starting. step contract is a point of no return: version 3 has no undo script");
    assertThat(validated.status().getInspectedScripts()).as("kept, so it is not run again").isNotNull();
  }

  @Test
  void aFailedInspectionFailsValidationSayingWhy() {
    Decision d = next(inspection(Stage.FAILED, null, "/lockstep/scripts/V1__x.sql is not UTF-8 text; save it as UTF-8"));

    assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
    assertThat(d.status().getMessage()).isEqualTo("invalid spec: the scripts in image " + IMAGE
        + " (spec.scripts.image) could not be inspected: /lockstep/scripts/V1__x.sql is not UTF-8 text; save it as UTF-8");
  }
}
