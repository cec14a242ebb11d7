package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagConfigMapRef;
import dev.lockstep.api.FlagSource;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepStatus;
import dev.lockstep.queue.KubernetesDatabaseLeases;
import dev.lockstep.world.ApiRequestLog;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rollout the crash matrix and the API-fault cases put through: migrate to 2, flip a flag, soak,
 * migrate to 3 — forward to {@code Succeeded}, or with a failing last script back to {@code
 * RolledBack}. Its checks count what the operator asked the API server (Jobs created, flag writes,
 * from the {@link ApiRequestLog}), never Flyway's history alone, so a Job created twice or a flag
 * written twice fails them.
 */
enum Walk {

  /** Every step succeeds. */
  FORWARD(Phase.Succeeded, List.of("orders-currency-expand-1", "orders-currency-fill-1"), 1, List.of("1", "2", "3")),
  /** The last script fails: the flag is restored and version 2 undone. */
  ROLLBACK(Phase.RolledBack, List.of("orders-currency-expand-1", "orders-currency-fill-1",
      "orders-currency-expand-undo-1"), 2, List.of());

  static final String NAME = "orders-currency";
  static final String FLAGS_CONFIGMAP = "orders-flags";
  static final String FLAGS = CrashResumeEndToEndTest.FLAGS;

  final Phase end;
  final List<String> jobs;
  final int flagWrites;
  final List<String> versions;

  Walk(Phase end, List<String> jobs, int flagWrites, List<String> versions) {
    this.end = end;
    this.jobs = jobs;
    this.flagWrites = flagWrites;
    this.versions = versions;
  }

  /** The Secret, the flag source and the scripts in the cluster; the migration is applied after. */
  void prepare(ClusterFixture world) {
    world.secret("orders-db");
    world.client.resource(new ConfigMapBuilder().withNewMetadata().withName(FLAGS_CONFIGMAP)
        .withNamespace(ClusterFixture.NAMESPACE).endMetadata().addToData("flags.flagd.json", FLAGS).build()).create();
    Map<String, String> scripts = new HashMap<>(CrashResumeEndToEndTest.SCRIPTS);
    if (this == ROLLBACK) {
      scripts.put("V3__fill.sql", "SELECT total FROM no_such_table;");
    }
    world.scripts("orders-migrations", scripts);
  }

  static SchemaMigration resource() {
    Step flip = new Step();
    flip.setName("dual-write");
    FlagChange on = new FlagChange();
    on.setFlag("orders-dual-write");
    on.setVariant("on");
    flip.setFlags(List.of(on));
    SchemaMigration m = migration(migrate("expand", "2"), flip, soak("soak", "1s"), migrate("fill", "3"));
    FlagSource source = new FlagSource();
    FlagConfigMapRef flags = new FlagConfigMapRef();
    flags.setName(FLAGS_CONFIGMAP);
    source.setConfigMap(flags);
    m.getSpec().setFlagSource(source);
    return m;
  }

  /**
   * Checks the end: the terminal phase and a status that says so, the schema, the flag, the lease
   * given back — and from the requests the server answered, that every Job was created once (a create
   * answered 409 is the adoption path, and allowed), ran in one pod, and the flag was written exactly
   * as often as the walk changes it.
   */
  void verify(ClusterFixture world, SchemaMigration done, ApiRequestLog log) throws Exception {
    assertThat(done.getStatus().getPhase()).isEqualTo(end);
    assertThat(world.appliedVersions()).as("versions applied").containsExactlyElementsOf(versions);
    assertThat(world.query("SELECT version, count(*) FROM flyway_schema_history GROUP BY version HAVING count(*) > 1"))
        .as("no version applied twice").isEmpty();
    assertThat(done.getStatus().getSchemaVersion()).isEqualTo(this == FORWARD ? "3" : null);
    if (this == FORWARD) {
      assertThat(done.getStatus().getSteps()).extracting(StepStatus::getAttempts).containsOnly(1);
      assertThat(flagsText(world)).contains("\"defaultVariant\": \"on\"");
    } else {
      assertThat(flagsText(world)).as("the flag is back exactly as it was").isEqualTo(FLAGS);
    }
    assertThat(done.getStatus().getFlags().get("orders-dual-write").getPreviousDefinition())
        .as("the flag's definition from before the migration, never a later one").contains("\"defaultVariant\": \"off\"");

    Map<String, Long> created = new TreeMap<>();
    log.requests().stream().filter(r -> r.creates("jobs") && r.carriedOut())
        .forEach(r -> created.merge(r.name(), 1L, Long::sum));
    Map<String, Long> expected = new TreeMap<>();
    jobs.forEach(j -> expected.put(j, 1L));
    assertThat(created).as("Jobs created by name (a create answered 409 is an adoption, not a creation)").isEqualTo(expected);
    assertThat(world.jobs(NAME)).extracting(j -> j.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(jobs);
    for (String job : jobs) {
      assertThat(log.count(r -> r.creates("pods") && r.carriedOut() && r.name() != null
          && r.name().startsWith(job + "-"))).as("pods run for Job " + job).isEqualTo(1);
    }
    assertThat(log.count(r -> r.fromOperator() && r.writes("configmaps", FLAGS_CONFIGMAP) && r.carriedOut()))
        .as("writes of the flag source").isEqualTo(flagWrites);
    assertThat(world.client.leases().inNamespace(ClusterFixture.NAMESPACE)
        .withName(KubernetesDatabaseLeases.leaseName(world.database)).get())
        .as("the database's lease is given back").isNull();
  }

  static String flagsText(ClusterFixture world) {
    return world.client.configMaps().inNamespace(ClusterFixture.NAMESPACE).withName(FLAGS_CONFIGMAP).get()
        .getData().get("flags.flagd.json");
  }
}
