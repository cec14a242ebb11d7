package dev.lockstep.gates;

import dev.lockstep.api.Guards;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Workload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The guards of a running migration: its own {@code spec.guards} (workloads ready, a Prometheus
 * value within bounds) and the implicit one — once a migrate step has run, every ready pod must
 * still support the schema version the database is at. A pod that says it does not is a breach; one
 * whose probe timed out is unknown and is not (a pod busy with traffic answers late), and the engine
 * counts a breach only once it has been seen on consecutive checks ({@code reconcile.GuardConfirmation}).
 */
public final class GuardChecks {

  private final WorkloadRollouts rollouts;
  private final WorkloadCompatibility compatibility;
  private final PrometheusQuery prometheus;

  public GuardChecks(WorkloadRollouts rollouts, WorkloadCompatibility compatibility, PrometheusQuery prometheus) {
    this.rollouts = rollouts;
    this.compatibility = compatibility;
    this.prometheus = prometheus;
  }

  public GuardReading check(SchemaMigration migration, Instant now) {
    String namespace = migration.getMetadata().getNamespace();
    List<Workload> workloads = migration.getSpec().getWorkloads() == null ? List.of() : migration.getSpec().getWorkloads();
    Guards guards = migration.getSpec().getGuards();
    List<String> breaches = new ArrayList<>();
    if (guards != null && Boolean.TRUE.equals(guards.getPodsReady())) {
      for (Workload workload : workloads) {
        Rollout rollout = rollouts.rollout(namespace, workload);
        if (!rollout.done()) {
          breaches.add("podsReady: " + rollout.detail());
        }
      }
    }
    String version = migration.getStatus() == null ? null : migration.getStatus().getSchemaVersion();
    if (version != null) {
      for (Workload workload : workloads) {
        if (workload.getCompatibility() != null) {
          CompatibilityCheck check = compatibility.check(namespace, workload, version);
          if (check.verdict() == CompatibilityCheck.Verdict.UNSUPPORTED) {
            breaches.add("compatibility: " + check.message());
          }
        }
      }
    }
    Instant outOfBoundsSince = null;
    if (guards != null && guards.getPrometheus() != null) {
      String recorded = migration.getStatus() == null ? null : migration.getStatus().getGuardBreachSince();
      PrometheusWindow.Breach breach = PrometheusWindow.breach(recorded == null ? null : Instant.parse(recorded),
          prometheus.value(guards.getPrometheus().getUrl(), guards.getPrometheus().getQuery()), now,
          guards.getPrometheus());
      outOfBoundsSince = breach.since();
      if (breach.breached()) {
        breaches.add("prometheus: " + breach.message());
      }
    }
    return new GuardReading(breaches.isEmpty() ? null : String.join("; ", breaches), outOfBoundsSince);
  }
}
