package dev.lockstep.flags;

import static dev.lockstep.flags.FlagFixtures.DUAL_WRITE;
import static dev.lockstep.flags.FlagFixtures.FLAGD_JSON;
import static dev.lockstep.flags.FlagFixtures.READ_NEW;
import static dev.lockstep.flags.FlagFixtures.THEME;
import static dev.lockstep.flags.FlagFixtures.change;
import static dev.lockstep.flags.FlagFixtures.configMapSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagSource;
import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.MigrateStep;
import dev.lockstep.api.Step;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagValidationTest {

  private static final FlagSource SOURCE = configMapSource("orders-flags", null);
  private static final FlagSet FLAGS = FlagdDocument.read(FLAGD_JSON, "ConfigMap orders-flags key flags.flagd.json");

  @Test
  void theProductsExamplePlanIsValid() {
    List<Step> steps = List.of(
        migrate("expand"),
        flags("dual-write", change(DUAL_WRITE, "on", null)),
        flags("read-new-canary", change(READ_NEW, "on", 10)),
        flags("read-new", change(READ_NEW, "on", null)),
        migrate("contract"));

    assertThat(FlagValidation.validate(steps, SOURCE, FLAGS, null)).isEmpty();
  }

  @Test
  void namesTheStepAndTheFlagOfEachProblem() {
    List<Step> steps = List.of(
        flags("dual-write", change(DUAL_WRITE, "maybe", null)),
        flags("read-new", change("orders-currency-read-old", "on", null), change(READ_NEW, "on", 0)),
        flags("theme", change(THEME, "dark", null)));

    assertThat(FlagValidation.validate(steps, SOURCE, FLAGS, null)).containsExactly(
        "step dual-write: flag orders-currency-dual-write has no variant \"maybe\"; it defines on, off",
        "step read-new: flag orders-currency-read-old is not in ConfigMap orders-flags key flags.flagd.json; "
            + "it holds orders-currency-dual-write, orders-currency-read-new, checkout-theme",
        "step theme: flag checkout-theme has a targeting rule that lockstep did not write; lockstep only "
            + "changes flags without one: remove the rule or roll out with another flag");
  }

  @Test
  void aChangeWithBadFieldsIsLeftToTheStepHandlerWhileTheOthersArePlayed() {
    Step step = flags("read-new", change("orders-currency-read-old", "on", null), change(READ_NEW, "on", 0));

    assertThat(FlagValidation.shapeProblems(step)).containsExactly("flag orders-currency-read-new: percent 0 is"
        + " outside 1-100; give the share of traffic as a whole number from 1 to 100");
    assertThat(FlagValidation.validate(List.of(step), SOURCE, FLAGS, null)).singleElement().asString()
        .startsWith("step read-new: flag orders-currency-read-old is not in");
  }

  @Test
  void aFlagsStepWithoutAFlagSourceIsRefused() {
    List<Step> steps = List.of(migrate("expand"), flags("dual-write", change(DUAL_WRITE, "on", null)));

    assertThat(FlagValidation.validate(steps, null, null, null))
        .containsExactly("step dual-write: flags steps need spec.flagSource; set featureFlag or configMap");
    assertThat(FlagValidation.validate(List.of(migrate("expand")), null, null, null)).isEmpty();
  }

  @Test
  void fieldsAreCheckedEvenWhenTheSourceCouldNotBeRead() {
    List<Step> steps = List.of(flags("s", change(DUAL_WRITE, "on", 101), change(DUAL_WRITE, "off", null),
        change(" ", "on", null), change(READ_NEW, null, null)));

    assertThat(FlagValidation.validate(steps, SOURCE, null, null)).isEmpty();
    assertThat(FlagValidation.shapeProblems(steps.get(0))).containsExactly(
        "flag orders-currency-dual-write: percent 101 is outside 1-100; give the share of traffic as a whole number"
            + " from 1 to 100",
        "flag orders-currency-dual-write is changed twice; one step changes a flag once",
        "a flag change has no flag; set flag to the flag's key",
        "flag orders-currency-read-new has no variant to set; set variant");
  }

  @Test
  void stepsArePlayedInOrderSoAPointlessRolloutIsCaught() {
    List<Step> steps = List.of(
        flags("read-new", change(READ_NEW, "on", null)),
        flags("read-new-canary", change(READ_NEW, "on", 10)));

    assertThat(FlagValidation.validate(steps, SOURCE, FLAGS, null)).containsExactly(
        "step read-new-canary: flag orders-currency-read-new already serves \"on\" by default; a 10% rollout "
            + "of it would change nothing");
  }

  @Test
  void aDisabledFlagIsRefusedBecauseApplicationsIgnoreIt() {
    FlagSet disabled = FlagdDocument.read("""
        {"flags": {"legacy": {"state": "DISABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}}}""",
        "FeatureFlag legacy-flags");

    assertThat(FlagValidation.validate(List.of(flags("s", change("legacy", "on", null))), SOURCE, disabled, null))
        .containsExactly("step s: flag legacy is DISABLED, so applications ignore its variants; lockstep never "
            + "changes state: enable the flag first");
  }

  @Test
  void aFlagThisMigrationAlreadyChangedIsJudgedFromItsOriginalDefinition() {
    // After the canary ran, the flag holds lockstep's own fractional rule; validating again (after a
    // restart) must neither call that rule foreign nor replay the canary against the flipped flag.
    String original = FLAGS.require(READ_NEW).json();
    FlagSet afterCanary = FlagdDocument.read(FlagdDocument.withFlag(FLAGD_JSON, READ_NEW,
        FlagRollout.next(FLAGS.require(READ_NEW), change(READ_NEW, "on", 10), null), "s"), "s");
    FlagStatus recorded = new FlagStatus();
    recorded.setVariant("on");
    recorded.setPercent(10);
    recorded.setPreviousDefinition(original);
    List<Step> steps = List.of(
        flags("read-new-canary", change(READ_NEW, "on", 10)),
        flags("read-new", change(READ_NEW, "on", null)));

    assertThat(FlagValidation.validate(steps, SOURCE, afterCanary, Map.of(READ_NEW, recorded))).isEmpty();
  }

  private static Step flags(String name, FlagChange... changes) {
    Step step = new Step();
    step.setName(name);
    step.setFlags(List.of(changes));
    return step;
  }

  private static Step migrate(String name) {
    MigrateStep migrate = new MigrateStep();
    Step step = new Step();
    step.setName(name);
    step.setMigrate(migrate);
    return step;
  }
}
