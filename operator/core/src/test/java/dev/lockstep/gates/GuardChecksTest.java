package dev.lockstep.gates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.AnnotationCompatibility;
import dev.lockstep.api.Compatibility;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import dev.lockstep.reconcile.Migrations;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The implicit compatibility guard: a "no" is a breach, a probe that timed out is unknown and is not. */
class GuardChecksTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  private static SchemaMigration atVersion2() {
    SchemaMigration m = Migrations.migration(Migrations.migrate("expand", "2"));
    Workload orders = new Workload();
    orders.setKind(WorkloadKind.Deployment);
    orders.setName("orders");
    Compatibility compatibility = new Compatibility();
    compatibility.setAnnotation(new AnnotationCompatibility());
    orders.setCompatibility(compatibility);
    m.getSpec().setWorkloads(List.of(orders));
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setSchemaVersion("2");
    m.setStatus(status);
    return m;
  }

  private static GuardChecks answering(CompatibilityCheck.Verdict verdict, PodFailure.Kind kind, String message) {
    WorkloadCompatibility compatibility = (namespace, workload, version) -> new CompatibilityCheck(
        "Deployment/orders", version, verdict, List.of("orders-abc"),
        List.of(new PodFailure("orders-abc", kind, message)), message);
    WorkloadRollouts rollouts = (namespace, workload) -> Rollout.missing("Deployment/orders");
    PrometheusQuery prometheus = (url, query) -> Reading.failed("not asked");
    return new GuardChecks(rollouts, compatibility, prometheus);
  }

  @Test
  void aPodThatSaysNoIsABreach() {
    GuardReading reading = answering(CompatibilityCheck.Verdict.UNSUPPORTED, PodFailure.Kind.OUT_OF_RANGE,
        "Deployment/orders: orders-abc (127.0.1.1): supports 1-1, not 2").check(atVersion2(), NOW);

    assertThat(reading.breach()).isEqualTo("compatibility: Deployment/orders: orders-abc (127.0.1.1): supports 1-1,"
        + " not 2");
  }

  @Test
  void aPodWhoseProbeTimedOutIsUnknownNotABreach() {
    GuardReading reading = answering(CompatibilityCheck.Verdict.UNKNOWN, PodFailure.Kind.UNKNOWN,
        "Deployment/orders: 1 of 1 ready pods did not answer in time").check(atVersion2(), NOW);

    assertThat(reading.breach()).isNull();
  }
}
