package dev.lockstep.validate;

import dev.lockstep.steps.BuiltInKinds;

import static dev.lockstep.reconcile.Migrations.approved;
import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.BackfillStep;
import dev.lockstep.api.BackfillThrottle;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.ScriptsImage;
import dev.lockstep.api.Step;
import dev.lockstep.api.ThrottlePrometheus;
import dev.lockstep.api.WaitStep;
import dev.lockstep.scripts.ScriptInventory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

  private static final Set<String> SECRET = Set.of("url", "username", "password");
  private static final ScriptInventory SCRIPTS = ScriptInventory.of(List.of(
      "V1__create_orders.sql", "V2__add_currency.sql", "U2__add_currency.sql", "V3__drop_total.sql", "README.md"));

  private final SpecValidator validator =
      new SpecValidator(BuiltInKinds.only("migrate", "wait"));

  private List<String> validate(SchemaMigration m) {
    return validator.validate(m, new ValidationFacts(SECRET, SCRIPTS));
  }

  @Test
  void aWellFormedMigrationHasNoProblems() {
    assertThat(validate(migration(migrate("expand", "2"), soak("soak", "2m"), approved(migrate("contract", "3")))))
        .isEmpty();
  }

  @Test
  void aMissingSecretIsNamedWithWhatToDo() {
    List<String> problems = validator.validate(migration(migrate("expand", "2")), new ValidationFacts(null, SCRIPTS));

    assertThat(problems).containsExactly(
        "Secret orders-db (spec.database.secretRef) does not exist; create it with the keys url, username, password");
  }

  @Test
  void aSecretWithoutTheNeededKeysIsNamed() {
    List<String> problems =
        validator.validate(migration(migrate("expand", "2")), new ValidationFacts(Set.of("url"), SCRIPTS));

    assertThat(problems).singleElement().asString().contains("has no key username, password");
  }

  @Test
  void aUrlThatIsNotAPostgresJdbcUrlIsRefusedNamingOnlyItsScheme() {
    var facts = new ValidationFacts(SECRET, SCRIPTS, null, null,
        ValidationFacts.schemeOf("postgres://orders:s3cret@db:5432/orders"));

    assertThat(validator.validate(migration(migrate("expand", "2")), facts)).containsExactly(
        "Secret orders-db (spec.database.secretRef) key url is not a PostgreSQL JDBC URL (it starts with postgres:);"
            + " write it as jdbc:postgresql://host:5432/database");
    assertThat(ValidationFacts.schemeOf("jdbc:postgresql://db/orders?password=x")).isEqualTo("jdbc:postgresql:");
    assertThat(ValidationFacts.schemeOf("db.example.com:5432/orders")).isEqualTo("db.example.com:");
    assertThat(ValidationFacts.schemeOf("//db/orders")).isEmpty();
    assertThat(validator.validate(migration(migrate("expand", "2")),
        new ValidationFacts(SECRET, SCRIPTS, null, null, "jdbc:postgresql:"))).isEmpty();
  }

  @Test
  void timeoutsOfZeroOrOverAWeekAreRefused() {
    Step zero = migrate("expand", "2");
    zero.setTimeout("0s");
    SchemaMigration m = migration(zero);
    m.getSpec().setTimeouts(new dev.lockstep.api.Timeouts());
    m.getSpec().getTimeouts().setStep("100000h");

    assertThat(validate(m)).containsExactly(
        "step expand: timeout is 0s; give at least 1s, such as 15m (leave it out for the default)",
        "spec.timeouts.step is 100000h; give at most 168h (7 days), such as 15m or 2h");
    m.getSpec().getTimeouts().setStep("168h");
    zero.setTimeout("1s");
    assertThat(validate(m)).isEmpty();
  }

  @Test
  void aMissingScriptsConfigMapIsNamed() {
    List<String> problems = validator.validate(migration(migrate("expand", "2")), new ValidationFacts(SECRET, null));

    assertThat(problems).singleElement().asString()
        .contains("ConfigMap orders-migrations (spec.scripts.configMapRef) does not exist");
  }

  @Test
  void aTargetVersionWithoutAScriptIsNamedWithTheVersionsThatExist() {
    assertThat(validate(migration(migrate("expand", "5"))))
        .containsExactly("step expand: migrate.to 5 has no script V5__*.sql; the scripts have versions 1, 2, 3");
  }

  @Test
  void versionsOnlyMoveForward() {
    assertThat(validate(migration(migrate("expand", "3"), migrate("contract", "2"))))
        .containsExactly("step contract: migrate.to 2 does not move forward from 3 (step expand); versions only move forward");
  }

  @Test
  void versionsCompareAsFlywayVersions() {
    ScriptInventory scripts = ScriptInventory.of(List.of("V1.9__a.sql", "V1.10__b.sql"));

    List<String> problems = validator.validate(
        migration(migrate("a", "1.9"), migrate("b", "1.10")), new ValidationFacts(SECRET, scripts));

    assertThat(problems).isEmpty();
  }

  @Test
  void badlyNamedScriptsAndDuplicateVersionsAreReported() {
    ScriptInventory scripts = ScriptInventory.of(List.of("V2__a.sql", "V2__b.sql", "add_column.sql"));

    List<String> problems = validator.validate(migration(migrate("a", "2")), new ValidationFacts(SECRET, scripts));

    assertThat(problems).anySatisfy(p -> assertThat(p).contains("add_column.sql is not a Flyway script name"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("both have version 2"));
  }

  @Test
  void scriptsInAnImageAreCheckedByTheRunnerInstead() {
    SchemaMigration m = migration(migrate("expand", "7"));
    m.getSpec().getScripts().setConfigMapRef(null);
    ScriptsImage image = new ScriptsImage();
    image.setName("registry.example.com/orders-migrations:1.4.0");
    m.getSpec().getScripts().setImage(image);

    assertThat(validator.validate(m, new ValidationFacts(SECRET, ValidationFacts.SCRIPTS_IN_IMAGE))).isEmpty();
  }

  @Test
  void bothScriptSourcesAtOnceAreRefused() {
    SchemaMigration m = migration(migrate("expand", "2"));
    m.getSpec().getScripts().setImage(new ScriptsImage());

    assertThat(validate(m)).contains("spec.scripts needs exactly one of configMapRef and image");
  }

  @Test
  void stepShapeIsCheckedEvenWhereTheApiServerDoesNot() {
    Step twoKinds = migrate("both", "2");
    twoKinds.setWaitFor(new WaitStep());
    Step none = new Step();
    none.setName("none");

    List<String> problems = validate(migration(migrate("expand", "2"), migrate("expand", "3"), twoKinds, none));

    assertThat(problems).contains(
        "step expand appears twice; step names must be unique",
        "step both sets migrate and wait; a step sets exactly one of migrate, wait",
        "step none must set exactly one of migrate, wait");
  }

  @Test
  void aStepOfAKindThisOperatorDoesNotRunIsRefusedByName() {
    Step fill = new Step();
    fill.setName("fill");
    fill.setBackfill(new dev.lockstep.api.BackfillStep());
    Step other = new Step();
    other.setName("tag");
    other.setOtherField("annotate", java.util.Map.of("key", "v"));

    assertThat(validate(migration(migrate("expand", "2"), fill, other))).containsExactly(
        "step fill sets backfill, which is not a step kind this operator runs; use one of migrate, wait, or"
            + " upgrade the operator",
        "step tag sets annotate, which is not a step kind this operator runs; use one of migrate, wait, or"
            + " upgrade the operator");
  }

  @Test
  void badDurationsNameTheirField() {
    Step step = soak("soak", "two minutes");

    assertThat(validate(migration(step))).singleElement().asString()
        .startsWith("step soak: wait.duration is \"two minutes\", which is not a duration");
  }

  @Test
  void waitingForPodsNeedsWorkloads() {
    Step wait = new Step();
    wait.setName("ready");
    WaitStep condition = new WaitStep();
    condition.setPodsReady(true);
    wait.setWaitFor(condition);

    assertThat(validate(migration(wait))).singleElement().asString().contains("wait.podsReady needs spec.workloads");
  }

  @Test
  void longNamesAreRefusedBecauseTheyLabelJobs() {
    SchemaMigration m = migration(migrate("expand", "2"));
    m.getMetadata().setName("x".repeat(64));

    assertThat(validate(m)).singleElement().asString().startsWith("metadata.name is 64 characters long");
  }

  @Test
  void aBackfillUndoIsExpressionsOrNoneButNotBoth() {
    SpecValidator backfills = new SpecValidator(BuiltInKinds.only("migrate", "backfill"));
    Step none = dev.lockstep.reconcile.Migrations.backfill("fill", null);
    none.getBackfill().setUndo(new dev.lockstep.api.BackfillUndo());
    none.getBackfill().getUndo().setNone(true);
    Step both = dev.lockstep.reconcile.Migrations.backfill("fill", "total_cents = NULL");
    both.getBackfill().getUndo().setNone(true);
    Step half = dev.lockstep.reconcile.Migrations.backfill("fill", "total_cents = NULL");
    half.getBackfill().getUndo().setWhere(null);

    assertThat(backfills.validate(migration(migrate("expand", "2"), none), new ValidationFacts(SECRET, SCRIPTS)))
        .isEmpty();
    assertThat(backfills.validate(migration(migrate("expand", "2"), both), new ValidationFacts(SECRET, SCRIPTS)))
        .containsExactly("step fill: backfill.undo sets none: true and expressions; keep set and where, or only"
            + " none: true");
    assertThat(backfills.validate(migration(migrate("expand", "2"), half), new ValidationFacts(SECRET, SCRIPTS)))
        .containsExactly("step fill: backfill.undo needs both set and where (or none: true when leaving the rows is"
            + " harmless)");
  }

  @Test
  void backfillExpressionsAndTheTableAreCheckedBeforeAnyJobAsTheRunnerChecksThem() {
    SpecValidator backfills = new SpecValidator(BuiltInKinds.only("migrate", "backfill"));
    Step fill = dev.lockstep.reconcile.Migrations.backfill("fill", "currency = NULL; DROP TABLE orders");
    fill.getBackfill().setTable("orders;vacuum");
    fill.getBackfill().setWhere("currency IS NULL) OR (true");

    assertThat(backfills.validate(migration(migrate("expand", "2"), fill), new ValidationFacts(SECRET, SCRIPTS)))
        .containsExactly(
            "step fill: backfill.table is \"orders;vacuum\", which is not a table name; write it as table or"
                + " schema.table (double-quote a name with capitals or other characters)",
            "step fill: backfill.where has an unmatched ) at character 17; give a single SQL expression",
            "step fill: backfill.undo.set has a ; at character 16; give a single SQL expression, not statements");

    Step fine = dev.lockstep.reconcile.Migrations.backfill("fill", "total_cents = NULL");
    fine.getBackfill().setTable("sales.\"Orders\"");
    assertThat(backfills.validate(migration(migrate("expand", "2"), fine), new ValidationFacts(SECRET, SCRIPTS)))
        .isEmpty();
  }

  @Test
  void backfillSizingAndThrottleAreCheckedWithTheFieldsNamed() {
    SpecValidator withBackfills = new SpecValidator(BuiltInKinds.only("migrate", "backfill"));
    BackfillStep backfill = new BackfillStep();
    backfill.setTable("orders");
    backfill.setSet("currency = 'EUR'");
    backfill.setWhere("currency IS NULL");
    backfill.setBatchTime("fast");
    backfill.setMinBatchSize(500);
    backfill.setMaxBatchSize(100);
    BackfillThrottle throttle = new BackfillThrottle();
    throttle.setSql("SELECT 1; DROP TABLE orders");
    ThrottlePrometheus prometheus = new ThrottlePrometheus();
    prometheus.setUrl("prometheus:9090");
    prometheus.setQuery("up");
    throttle.setPrometheus(prometheus);
    throttle.setInterval("0s");
    backfill.setThrottle(throttle);
    Step fill = new Step();
    fill.setName("fill");
    fill.setBackfill(backfill);

    List<String> problems = withBackfills.validate(migration(migrate("expand", "2"), fill), new ValidationFacts(SECRET, SCRIPTS));

    assertThat(problems).containsExactlyInAnyOrder(
        "step fill: backfill.batchTime is \"fast\", which is not a duration; write one such as 30s, 2m or 1h",
        "step fill: backfill.minBatchSize 500 is above backfill.maxBatchSize 100; give a minimum no larger than the maximum",
        "step fill: backfill.batchSize 1000 is outside minBatchSize and maxBatchSize (500 to 100); the first batch is"
            + " sized within them too",
        "step fill: backfill.throttle must set exactly one of prometheus and sql",
        "step fill: backfill.throttle.sql has a ; at character 9; give a single SQL expression, not statements",
        "step fill: backfill.throttle.prometheus.url must be the http(s) URL of the Prometheus server",
        "step fill: backfill.throttle.max is missing; give the highest value at which batches may run",
        "step fill: backfill.throttle.interval must be more than 0, such as 1s");
  }

  @Test
  void aBackfillWithAThrottleAndBatchesSizedByTimeIsValid() {
    SpecValidator withBackfills = new SpecValidator(BuiltInKinds.only("migrate", "backfill"));
    BackfillStep backfill = new BackfillStep();
    backfill.setTable("orders");
    backfill.setSet("currency = 'EUR'");
    backfill.setWhere("currency IS NULL");
    backfill.setBatchTime("50ms");
    backfill.setMinBatchSize(100);
    backfill.setMaxBatchSize(20000);
    BackfillThrottle throttle = new BackfillThrottle();
    throttle.setSql("SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication");
    throttle.setMax(5.0);
    backfill.setThrottle(throttle);
    Step fill = new Step();
    fill.setName("fill");
    fill.setBackfill(backfill);

    assertThat(withBackfills.validate(migration(migrate("expand", "2"), fill), new ValidationFacts(SECRET, SCRIPTS)))
        .isEmpty();
  }

  private static SchemaMigration fromImage(Step... steps) {
    SchemaMigration m = migration(steps);
    m.getSpec().getScripts().setConfigMapRef(null);
    ScriptsImage image = new ScriptsImage();
    image.setName("registry.example.com/orders-migrations:1.4.0");
    m.getSpec().getScripts().setImage(image);
    return m;
  }

  @Test
  void inspectedImageScriptsAreCheckedAsAConfigMapsAre() {
    ScriptInventory inspected = ScriptInventory.of(List.of("V1__create_orders.sql", "V2__add_currency.sql",
        "V2__again.sql", "v3_bad.sql"));

    List<String> problems = validator.validate(fromImage(migrate("expand", "2"), migrate("contract", "3")),
        new ValidationFacts(SECRET, inspected));

    assertThat(problems).containsExactly(
        "image registry.example.com/orders-migrations:1.4.0 (/migrations): V2__add_currency.sql and V2__again.sql"
            + " both have version 2; give one of them another version",
        "image registry.example.com/orders-migrations:1.4.0 (/migrations): v3_bad.sql is not a Flyway script name;"
            + " use V<version>__<description>.sql or U<version>__<description>.sql",
        "step contract: migrate.to 3 has no script V3__*.sql; the scripts have versions 1, 2");
  }

  @Test
  void anImageNotYetInspectedIsNotJudgedByItsScripts() {
    assertThat(validator.validate(fromImage(migrate("expand", "9")),
        new ValidationFacts(SECRET, ValidationFacts.SCRIPTS_IN_IMAGE))).isEmpty();
  }

  @Test
  void versionsWithoutAnUndoScriptArePointsOfNoReturnSaidAtValidation() {
    SchemaMigration m = migration(migrate("create", "1"), soak("soak", "1m"), migrate("expand", "2"),
        migrate("contract", "3"));

    assertThat(validator.pointsOfNoReturn(m, new ValidationFacts(SECRET, SCRIPTS))).containsExactly(
        "step create is a point of no return: version 1 has no undo script (U<version>__*.sql), so a rollback"
            + " stops before undoing it",
        "step contract is a point of no return: version 3 has no undo script (U<version>__*.sql), so a rollback"
            + " stops before undoing it");
    assertThat(validator.pointsOfNoReturn(m, new ValidationFacts(SECRET, ValidationFacts.SCRIPTS_IN_IMAGE)))
        .as("unknown until the image is inspected").isEmpty();
  }
}
