package dev.lockstep.e2e;

import static dev.lockstep.e2e.MigrationEndToEndTest.SCRIPTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.reconcile.Migrations;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A step kind the engine has never seen, registered only here (one handler, one line), walks forward
 * and rolls back through the unchanged engine.
 */
class PluggableStepKindEndToEndTest extends ClusterTest {

  @BeforeEach
  void registerTheKind() {
    world.cluster.stopOperator();
    world.cluster.addStepKind(new AnnotateStepHandler(world.cluster.client()));
    world.cluster.startOperator();
    world.secret("orders-db");
    world.create(new ConfigMapBuilder().withNewMetadata().withName("marks").withAnnotations(new HashMap<>())
        .endMetadata().build());
  }

  @Test
  void aKindOnlyTheTestKnowsRunsBetweenBuiltInSteps() {
    world.scripts("orders-migrations", SCRIPTS);
    world.apply(Migrations.migration(Migrations.migrate("create", "1"), annotate("tag", "released"),
        Migrations.migrate("expand", "2")));

    SchemaMigration done = world.awaitPhase("orders-currency", Phase.Succeeded);

    assertThat(done.getStatus().getSteps()).extracting(StepStatus::getState).containsOnly(StepState.Succeeded);
    assertThat(annotations()).containsEntry("lockstep.dev/test-release", "released");
  }

  @Test
  void aFailureAfterItRollsItBackNewestFirst() {
    Map<String, String> scripts = new HashMap<>(SCRIPTS);
    scripts.put("V4__broken.sql", "ALTER TABLE no_such_table ADD COLUMN x int;");
    world.scripts("orders-migrations", scripts);
    world.apply(Migrations.migration(Migrations.migrate("create", "1"), annotate("tag", "released"),
        Migrations.migrate("broken", "4")));

    SchemaMigration rolledBack = world.awaitPhase("orders-currency", Phase.RolledBack);

    // broken applied V2 and V3 before V4 failed: its handler says it got part of the way, so it is undone too.
    assertThat(rolledBack.getStatus().getSteps()).extracting(StepStatus::getName, StepStatus::getState)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("create", StepState.RolledBack),
            org.assertj.core.groups.Tuple.tuple("tag", StepState.RolledBack),
            org.assertj.core.groups.Tuple.tuple("broken", StepState.RolledBack));
    assertThat(annotations()).doesNotContainKey("lockstep.dev/test-release");
  }

  @Test
  void itsOwnValidationNamesItsField() {
    world.scripts("orders-migrations", SCRIPTS);
    Step incomplete = new Step();
    incomplete.setName("tag");
    incomplete.setOtherField(AnnotateStepHandler.FIELD, Map.of("configMap", "marks"));
    world.apply(Migrations.migration(Migrations.migrate("create", "1"), incomplete));

    SchemaMigration failed = world.awaitPhase("orders-currency", Phase.Failed);

    assertThat(failed.getStatus().getMessage()).contains("step tag: annotate.key is missing",
        "step tag: annotate.value is missing");
    assertThat(annotations()).isEmpty();
  }

  private static Step annotate(String name, String value) {
    Step step = new Step();
    step.setName(name);
    step.setOtherField(AnnotateStepHandler.FIELD,
        Map.of("configMap", "marks", "key", "lockstep.dev/test-release", "value", value));
    return step;
  }

  private Map<String, String> annotations() {
    Map<String, String> annotations = world.client.configMaps().inNamespace(ClusterFixture.NAMESPACE)
        .withName("marks").get().getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}
