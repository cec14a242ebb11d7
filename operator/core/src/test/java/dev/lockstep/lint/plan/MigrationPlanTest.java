package dev.lockstep.lint.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.FlagChange;
import dev.lockstep.api.MigrateStep;
import dev.lockstep.api.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationPlanTest {

  private static final List<String> SCRIPTS = List.of("V1__init.sql", "V1.9__a.sql", "V1.10__b.sql",
      "U1.10__b.sql", "V2__c.sql", "U2__c.sql", "V3__later.sql", "R__views.sql", "notes.sql");

  @Test
  void eachMigrateStepAppliesTheVersionsAfterThePreviousTarget() {
    MigrationPlan plan = MigrationPlan.of(
        List.of(migrate("expand", "1.9"), flags("dual-write"), migrate("more", "2")), SCRIPTS);

    assertThat(plan.steps()).extracting(StepScripts::step).containsExactly("expand", "dual-write", "more");
    assertThat(plan.steps().get(0).forward()).containsExactly("V1__init.sql", "V1.9__a.sql");
    assertThat(plan.steps().get(1).forward()).isEmpty();
    assertThat(plan.steps().get(2).forward()).as("1.10 is newer than 1.9").containsExactly("V1.10__b.sql", "V2__c.sql");
    assertThat(plan.steps().get(2).undo()).as("newest first").containsExactly("U2__c.sql", "U1.10__b.sql");
    assertThat(plan.unassigned()).containsExactly("R__views.sql", "V3__later.sql", "notes.sql");
  }

  @Test
  void twoScriptsOfOneVersionAreRefused() {
    assertThatThrownBy(() -> MigrationPlan.of(List.of(migrate("a", "2")), List.of("V2__a.sql", "V2.0__b.sql")))
        .hasMessage("scripts V2__a.sql and V2.0__b.sql have the same version 2.0; Flyway refuses that:"
            + " give one of them another version");
  }

  @Test
  void targetsMustNotGoBackwards() {
    assertThatThrownBy(() -> MigrationPlan.of(List.of(migrate("a", "3"), migrate("b", "2")), SCRIPTS))
        .hasMessage("step b migrates to 2, below step a's target 3; targets must not go backwards");
  }

  @Test
  void aTargetMustBeAVersion() {
    assertThatThrownBy(() -> MigrationPlan.of(List.of(migrate("a", "two")), SCRIPTS))
        .hasMessageStartingWith("step a: migrate.to \"two\" is not a Flyway version");
  }

  static Step migrate(String name, String to) {
    Step step = new Step();
    step.setName(name);
    MigrateStep migrate = new MigrateStep();
    migrate.setTo(to);
    step.setMigrate(migrate);
    return step;
  }

  static Step flags(String name) {
    Step step = new Step();
    step.setName(name);
    step.setFlags(List.of(new FlagChange()));
    return step;
  }
}
