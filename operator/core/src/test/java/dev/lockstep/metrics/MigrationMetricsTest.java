package dev.lockstep.metrics;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.reconcile.Observation;
import dev.lockstep.reconcile.StatusMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statuses the reconciler writes become Prometheus series, served on /metrics next to the probes. */
class MigrationMetricsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final StatusMetrics metrics = new StatusMetrics(new MicrometerMigrationMetrics(registry));

  private static SchemaMigrationStatus status(Phase phase, StepStatus... steps) {
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setPhase(phase);
    status.setSteps(new ArrayList<>(List.of(steps)));
    return status;
  }

  private static StepStatus step(String name, StepState state, String startedAt, Integer lockRetries) {
    StepStatus step = new StepStatus();
    step.setName(name);
    step.setState(state);
    step.setStartedAt(startedAt);
    step.setLockRetries(lockRetries);
    return step;
  }

  /** Records the move from {@code before} to {@code after} at {@code at}, as one reconcile would. */
  private void move(SchemaMigration m, SchemaMigrationStatus before, SchemaMigrationStatus after, Instant at) {
    m.setStatus(before);
    metrics.record(m, Observation.nothing(), after, at);
  }

  @Test
  void phasesStepsGatesRetriesAndRollbacksBecomeSeries() {
    SchemaMigration m = migration(migrate("expand", "2"), soak("soak", "1m"));
    move(m, null, status(Phase.Queued), T0);
    move(m, status(Phase.Queued), status(Phase.Progressing, step("expand", StepState.Running, T0.plusSeconds(5).toString(), null)),
        T0.plusSeconds(5));
    move(m, status(Phase.Progressing, step("expand", StepState.Running, T0.plusSeconds(5).toString(), null)),
        status(Phase.Progressing, step("expand", StepState.Succeeded, T0.plusSeconds(5).toString(), 3),
            step("soak", StepState.Running, T0.plusSeconds(25).toString(), null)), T0.plusSeconds(25));
    move(m, status(Phase.Progressing, step("soak", StepState.Running, T0.plusSeconds(25).toString(), null)),
        status(Phase.Progressing, step("soak", StepState.Succeeded, T0.plusSeconds(25).toString(), null)), T0.plusSeconds(85));
    m.getMetadata().getAnnotations().put(Annotations.ABORT, "true");
    move(m, status(Phase.Progressing), status(Phase.RollingBack), T0.plusSeconds(90));

    String text = registry.scrape();
    assertThat(text)
        .contains("lockstep_migrations{phase=\"RollingBack\"} 1")
        .contains("lockstep_migrations{phase=\"Progressing\"} 0")
        .contains("lockstep_migration_phase_since_seconds{migration=\"orders-currency\",namespace=\"shop\",phase=\"RollingBack\"}")
        .doesNotContain("phase=\"Queued\"} 1")
        .contains("lockstep_step_duration_seconds_count{kind=\"migrate\",outcome=\"succeeded\"} 1")
        .contains("lockstep_step_duration_seconds_sum{kind=\"migrate\",outcome=\"succeeded\"} 20")
        .contains("lockstep_step_duration_seconds_sum{kind=\"wait\",outcome=\"succeeded\"} 60")
        .contains("lockstep_gate_wait_seconds_sum{gate=\"queue\"} 5")
        .contains("lockstep_gate_wait_seconds_sum{gate=\"wait_duration\"} 60")
        .contains("lockstep_lock_timeout_retries_total{kind=\"migrate\"} 3")
        .contains("lockstep_rollbacks_total{reason=\"aborted\"} 1");
  }

  @Test
  void approvalWaitsAreCountedAndDeletedMigrationsLeave() {
    SchemaMigration m = migration(migrate("contract", "3"));
    move(m, status(Phase.Progressing), status(Phase.WaitingForApproval), T0);
    move(m, status(Phase.WaitingForApproval), status(Phase.Progressing), T0.plusSeconds(600));
    metrics.forget("shop", "orders-currency");

    assertThat(registry.scrape())
        .contains("lockstep_gate_wait_seconds_count{gate=\"approval\"} 1")
        .contains("lockstep_gate_wait_seconds_sum{gate=\"approval\"} 600")
        .doesNotContain("lockstep_migration_phase_since_seconds{");
  }

  @Test
  void servesMetricsAndProbes() throws Exception {
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new MicrometerMigrationMetrics(own).leading(true);
    boolean[] ready = {false};
    try (OperatorHttpServer http = OperatorHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        own, () -> new OperatorHttpServer.Probe(true, ready[0], "informers syncing"))) {
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + http.port();

      HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(scrape.body()).contains("lockstep_leader 1");
      assertThat(status(client, base + "/healthz")).isEqualTo(200);
      assertThat(status(client, base + "/readyz")).isEqualTo(503);
      ready[0] = true;
      assertThat(status(client, base + "/readyz")).isEqualTo(200);
    }
  }

  private static int status(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
