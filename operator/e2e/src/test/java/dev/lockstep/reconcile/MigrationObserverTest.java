package dev.lockstep.reconcile;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Guards;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import dev.lockstep.cache.FakeCache;
import dev.lockstep.gates.CompatibilityCheck;
import dev.lockstep.gates.GuardChecks;
import dev.lockstep.gates.Reading;
import dev.lockstep.gates.Rollout;
import dev.lockstep.jobs.JobLabels;
import dev.lockstep.queue.DatabaseLeases;
import dev.lockstep.queue.DatabaseLeases.LeaseRecord;
import dev.lockstep.queue.QueueObserver;
import dev.lockstep.scripts.ScriptCatalog;
import dev.lockstep.scripts.ScriptInventory;
import dev.lockstep.steps.StepContext;
import dev.lockstep.steps.StepEffects;
import dev.lockstep.steps.StepHandler;
import dev.lockstep.steps.StepHandlers;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.validate.SpecValidator;
import dev.lockstep.world.KubernetesWorld;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the observer looks at in each phase, with fakes for the step handler, the scripts, the
 * leases and the guards; the in-process API server holds only the Secret, the one thing still read
 * with a GET.
 */
class MigrationObserverTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private KubernetesWorld world;
  private final FakeCache<SchemaMigration> migrations = new FakeCache<>();
  private final RecordingLeases leases = new RecordingLeases();
  private final FakeMigrateHandler handler = new FakeMigrateHandler();
  private final FakeScripts scripts = new FakeScripts();
  private final List<String> guardReads = new ArrayList<>();
  private final FakeCache<Job> jobs = new FakeCache<>();
  private MigrationObserver observer;

  @BeforeEach
  void start() {
    world = KubernetesWorld.start();
    GuardChecks guards = new GuardChecks(
        (namespace, workload) -> {
          guardReads.add("rollout " + workload.getName());
          return Rollout.missing("Deployment/" + workload.getName());
        },
        (namespace, workload, version) -> {
          guardReads.add("compatibility " + workload.getName() + " " + version);
          return new CompatibilityCheck("Deployment/" + workload.getName(), version,
              CompatibilityCheck.Verdict.SUPPORTED, List.of(), List.of(), "fine");
        },
        (url, query) -> Reading.failed("no Prometheus here"));
    StepHandlers handlers = new StepHandlers(List.of(handler));
    observer = new MigrationObserver(world.newClient(), scripts,
        new SpecValidator(handlers.validators()), handlers,
        new QueueObserver(migrations, leases), leases, guards,
        new dev.lockstep.jobs.ActiveJobs(jobs, new dev.lockstep.cache.FakeCache<>()),
        new dev.lockstep.scripts.ScriptsInspector() {
          @Override
          public void launch(SchemaMigration migration) {
            throw new AssertionError("an observer never launches");
          }

          @Override
          public dev.lockstep.scripts.Inspection state(SchemaMigration migration) {
            throw new AssertionError("these migrations take their scripts from a ConfigMap");
          }
        });
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private static SchemaMigration in(Phase phase, StepState... states) {
    SchemaMigration m = migration(migrate("expand", "2"), migrate("contract", "3"));
    Workload orders = new Workload();
    orders.setKind(WorkloadKind.Deployment);
    orders.setName("orders");
    m.getSpec().setWorkloads(List.of(orders));
    Guards guards = new Guards();
    guards.setPodsReady(true);
    m.getSpec().setGuards(guards);
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setPhase(phase);
    List<StepStatus> steps = new ArrayList<>();
    String[] names = {"expand", "contract"};
    for (int i = 0; i < states.length; i++) {
      StepStatus step = new StepStatus();
      step.setName(names[i]);
      step.setState(states[i]);
      steps.add(step);
    }
    status.setSteps(steps);
    m.setStatus(status);
    return m;
  }

  private void secret(String... keys) {
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName("orders-db").withNamespace("shop").endMetadata();
    for (String key : keys) {
      // A url as validation expects one (a JDBC URL), every other key "x".
      secret.addToData(key, key.equals("url") ? java.util.Base64.getEncoder().encodeToString(
          "jdbc:postgresql://db:5432/orders".getBytes(java.nio.charset.StandardCharsets.UTF_8)) : "eA==");
    }
    world.client().resource(secret.build()).create();
  }

  @Test
  void aQueuedMigrationLooksAtTheQueueAndTheLeaseOnly() {
    leases.lease = Optional.of(new LeaseRecord("uid-other", "other", false, false, "3"));

    Observation seen = observer.observe(in(Phase.Queued), NOW);

    assertThat(seen.queue()).isNotNull();
    assertThat(seen.queue().holder()).isEqualTo("other (deleted; its lease expires soon)");
    assertThat(seen.lease()).isEqualTo(leases.lease);
    assertThat(seen.validationProblems()).as("not validated while queued").isNull();
    assertThat(seen.guards()).isNull();
    assertThat(guardReads).isEmpty();
    assertThat(handler.observed).isEmpty();
  }

  @Test
  void aValidatingMigrationReadsTheSecretAndTheScripts() {
    secret("url", "username");
    scripts.inventory = Optional.of(ScriptInventory.of(List.of("V2__a.sql", "V3__b.sql")));

    Observation seen = observer.observe(in(Phase.Validating, StepState.Pending, StepState.Pending), NOW);

    assertThat(seen.validationProblems()).singleElement().asString()
        .contains("Secret orders-db (spec.database.secretRef) has no key password");
    assertThat(seen.lease()).as("a phase that holds the lease reads it to renew it").isEqualTo(leases.lease);
    assertThat(leases.reads).containsExactly("shop/orders");
    assertThat(seen.guards()).as("no step runs yet").isNull();
  }

  @Test
  void twoScriptsWithOneVersionAreReportedOnce() {
    secret("url", "username", "password");
    List<String> names = List.of("V2__a.sql", "V3__b.sql", "V3__c.sql");
    scripts.inventory = Optional.of(ScriptInventory.of(names));
    scripts.contents = Optional.of(Map.of("V2__a.sql", "CREATE TABLE a (id int);",
        "V3__b.sql", "CREATE TABLE b (id int);", "V3__c.sql", "CREATE TABLE c (id int);"));

    Observation seen = observer.observe(in(Phase.Validating, StepState.Pending, StepState.Pending), NOW);

    assertThat(seen.validationProblems()).as("by validation, not again by the risk analysis").singleElement()
        .asString().contains("V3__b.sql and V3__c.sql both have version 3");
  }

  @Test
  void aMissingSecretIsAValidationProblemNotAnError() {
    scripts.inventory = Optional.of(ScriptInventory.of(List.of("V2__a.sql", "V3__b.sql")));

    Observation seen = observer.observe(in(Phase.Validating, StepState.Pending, StepState.Pending), NOW);

    assertThat(seen.validationProblems()).anySatisfy(p -> assertThat(p).contains("Secret orders-db").contains("does not exist"));
  }

  @Test
  void aRunningStepIsObservedByItsHandlerAndTheGuardsAreChecked() {
    secret("url", "username", "password");
    scripts.inventory = Optional.of(ScriptInventory.of(List.of("V2__a.sql", "V3__b.sql")));
    SchemaMigration m = in(Phase.Progressing, StepState.Succeeded, StepState.Running);
    m.getStatus().setSchemaVersion("2");

    Observation seen = observer.observe(m, NOW);

    assertThat(handler.observed).containsExactly("contract");
    assertThat(seen.step().message()).isEqualTo("observed contract");
    assertThat(seen.validationProblems()).isEmpty();
    assertThat(guardReads).containsExactly("rollout orders");
    assertThat(seen.guards().breach()).startsWith("podsReady: ");
  }

  /**
   * While a Job of the migration runs, nothing new may start beside it, so the pod and Job events of
   * a running step are not worth a read of the Secret and the scripts: validation waits for the Job
   * to end, and the step is still observed and the guards still checked.
   */
  @Test
  void aRunningStepWhoseJobHasNotEndedIsNotValidatedAgain() {
    scripts.inventory = Optional.of(ScriptInventory.of(List.of("V2__a.sql", "V3__b.sql")));
    SchemaMigration m = in(Phase.Progressing, StepState.Succeeded, StepState.Running);
    m.getStatus().setSchemaVersion("2");
    jobs.put(new JobBuilder().withNewMetadata().withName("orders-currency-contract-1")
        .withNamespace(m.getMetadata().getNamespace())
        .addToLabels(JobLabels.MANAGED_BY, JobLabels.MANAGER)
        .addToLabels(JobLabels.MIGRATION, m.getMetadata().getName()).endMetadata().build());

    Observation seen = observer.observe(m, NOW);

    assertThat(seen.activeJobs()).containsExactly("orders-currency-contract-1");
    assertThat(seen.validationProblems()).as("no Secret read (there is none), no scripts linted").isNull();
    assertThat(scripts.reads).isZero();
    assertThat(handler.observed).containsExactly("contract");
    assertThat(guardReads).containsExactly("rollout orders");
  }

  @Test
  void rollingBackAsksTheNextStepToUndoWhetherItCan() {
    SchemaMigration m = in(Phase.RollingBack, StepState.Succeeded, StepState.Failed);

    Observation seen = observer.observe(m, NOW);

    assertThat(seen.irreversible()).isEqualTo("expand cannot be undone");
    assertThat(seen.step()).isNull();
    assertThat(seen.validationProblems()).as("rollback never waits on validation").isNull();
  }

  @Test
  void aFinishedMigrationLooksAtNothing() {
    SchemaMigration done = in(Phase.Succeeded, StepState.Succeeded, StepState.Succeeded);
    done.getStatus().setObservedGeneration(1L);

    Observation seen = observer.observe(done, NOW);

    assertThat(seen).isEqualTo(Observation.nothing());
    assertThat(leases.reads).isEmpty();
    assertThat(guardReads).isEmpty();
  }

  /** Stands in for the migrate handler: says which step it was asked about. */
  private static final class FakeMigrateHandler implements StepHandler {
    final List<String> observed = new ArrayList<>();

    @Override
    public String field() {
      return "migrate";
    }

    @Override
    public void validate(dev.lockstep.validate.StepValidation step, List<String> problems) {}

    @Override
    public StepEffects start(StepContext context) {
      throw new AssertionError("observing starts nothing");
    }

    @Override
    public StepEffects undo(StepContext context) {
      throw new AssertionError("observing undoes nothing");
    }

    @Override
    public StepObservation observe(StepContext context) {
      observed.add(context.step().getName());
      return StepObservation.running("observed " + context.step().getName(), null, null);
    }

    @Override
    public String whyIrreversible(StepContext context) {
      return context.step().getName() + " cannot be undone";
    }
  }

  private static final class FakeScripts implements ScriptCatalog {
    Optional<ScriptInventory> inventory = Optional.empty();
    Optional<Map<String, String>> contents = Optional.empty();
    int reads;

    @Override
    public Optional<ScriptInventory> scripts(SchemaMigration migration) {
      reads++;
      return inventory;
    }

    @Override
    public Optional<Map<String, String>> contents(SchemaMigration migration) {
      reads++;
      return contents;
    }
  }

  /** Always the same lease; records what was read. */
  private static final class RecordingLeases implements DatabaseLeases {
    Optional<LeaseRecord> lease = Optional.of(new LeaseRecord("uid-1", "orders-currency", false, false, "1"));
    final List<String> reads = new ArrayList<>();

    @Override
    public Optional<LeaseRecord> read(String namespace, String database, Instant now) {
      reads.add(namespace + "/" + database);
      return lease;
    }

    @Override
    public boolean take(SchemaMigration migration, Optional<LeaseRecord> seen, Instant now) {
      throw new AssertionError("observing never takes the lease");
    }

    @Override
    public void release(SchemaMigration migration) {
      throw new AssertionError("observing never releases the lease");
    }
  }
}
