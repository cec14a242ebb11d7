package dev.lockstep.steps;

import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.scripts.ScriptInventory;
import dev.lockstep.validate.StepValidation;
import dev.lockstep.api.Durations;
import dev.lockstep.api.WaitStep;
import dev.lockstep.api.Workload;
import dev.lockstep.gates.CompatibilityCheck;
import dev.lockstep.gates.PrometheusQuery;
import dev.lockstep.gates.PrometheusWindow;
import dev.lockstep.gates.Rollout;
import dev.lockstep.gates.WorkloadCompatibility;
import dev.lockstep.gates.WorkloadRollouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wait}: holds the migration until every condition it names holds — a soak, the workloads
 * rolled out, every pod supporting a schema version, a Prometheus value within bounds for a
 * window. Every time it measures from is kept in status, so waits survive operator restarts.
 */
public final class WaitStepHandler implements StepHandler {

  /** How often a waiting step looks again, besides watch events. */
  private static final Duration RECHECK = Duration.ofSeconds(2);

  private final WorkloadRollouts rollouts;
  private final WorkloadCompatibility compatibility;
  private final PrometheusQuery prometheus;

  public WaitStepHandler(WorkloadRollouts rollouts, WorkloadCompatibility compatibility, PrometheusQuery prometheus) {
    this.rollouts = rollouts;
    this.compatibility = compatibility;
    this.prometheus = prometheus;
  }

  @Override
  public String field() {
    return "wait";
  }

  @Override
  public void validate(StepValidation v, List<String> problems) {
    WaitStep wait = v.step().getWaitFor();
    String where = v.where();
    SchemaMigrationSpec spec = v.spec();
    boolean any = wait.getPodsReady() != null || wait.getCompatible() != null || wait.getDuration() != null
        || wait.getPrometheus() != null;
    if (!any) {
      problems.add(where + ": a wait step needs at least one of podsReady, compatible, duration and prometheus");
    }
    StepValidation.checkDuration(wait.getDuration(), where + ": wait.duration", problems);
    if (Boolean.TRUE.equals(wait.getPodsReady()) && (spec.getWorkloads() == null || spec.getWorkloads().isEmpty())) {
      problems.add(where + ": wait.podsReady needs spec.workloads; list the Deployments and StatefulSets to wait for");
    }
    if (wait.getCompatible() != null) {
      if (!ScriptInventory.isVersion(wait.getCompatible())) {
        problems.add(where + ": wait.compatible is \"" + wait.getCompatible() + "\", which is not a Flyway version"
            + " such as 2 or 2.1");
      }
      boolean declared = spec.getWorkloads() != null
          && spec.getWorkloads().stream().anyMatch(w -> w.getCompatibility() != null);
      if (!declared) {
        problems.add(where + ": wait.compatible needs a workload in spec.workloads that declares compatibility");
      }
    }
    if (wait.getPrometheus() != null) {
      StepValidation.checkPrometheus(wait.getPrometheus(), where + ": wait.prometheus", problems);
    }
  }


  @Override
  public StepEffects start(StepContext context) {
    // Nothing to launch: the start time the engine records is all a soak needs.
    return StepEffects.NONE;
  }

  @Override
  public StepObservation observe(StepContext context) {
    if (context.undoing()) {
      return StepObservation.succeeded("a wait changes nothing, so there is nothing to undo", null);
    }
    WaitStep wait = context.step().getWaitFor();
    List<Hold> pending = new ArrayList<>();
    Duration recheck = RECHECK;
    if (wait.getDuration() != null) {
      Duration soak = Durations.parse(wait.getDuration(), "wait.duration");
      Instant until = context.startedAt().plus(soak);
      if (context.now().isBefore(until)) {
        Duration left = Duration.between(context.now(), until);
        pending.add(new Hold(Hold.Gate.DURATION, "wait.duration " + wait.getDuration(),
            "soaking, " + Durations.format(roundUp(left)) + " left of " + wait.getDuration()));
        recheck = left.compareTo(RECHECK) < 0 ? left : RECHECK;
      }
    }
    if (Boolean.TRUE.equals(wait.getPodsReady())) {
      for (Workload workload : workloads(context)) {
        Rollout rollout = rollouts.rollout(context.namespace(), workload);
        if (!rollout.done()) {
          pending.add(new Hold(Hold.Gate.PODS_READY, rollout.workload(), rollout.detail()));
        }
      }
    }
    if (wait.getCompatible() != null) {
      for (Workload workload : workloads(context)) {
        if (workload.getCompatibility() != null) {
          CompatibilityCheck check = compatibility.checkBeforeChange(context.namespace(), workload, wait.getCompatible());
          if (!check.satisfied()) {
            pending.add(CompatibilityHolds.of(check));
          }
        }
      }
    }
    Instant holdingSince = null;
    if (wait.getPrometheus() != null) {
      Instant since = context.status().getHoldingSince() == null ? null : Instant.parse(context.status().getHoldingSince());
      PrometheusWindow.Holding holding = PrometheusWindow.holding(since,
          prometheus.value(wait.getPrometheus().getUrl(), wait.getPrometheus().getQuery()), context.now(),
          wait.getPrometheus());
      holdingSince = holding.since();
      if (!holding.satisfied()) {
        pending.add(new Hold(Hold.Gate.PROMETHEUS, wait.getPrometheus().getQuery(), holding.message()));
      }
    }
    if (pending.isEmpty()) {
      return StepObservation.succeeded("every condition holds", null);
    }
    String waiting = String.join("; ", pending.stream().map(h -> h.gate().field() + ": " + h.message()).toList());
    return StepObservation.running("waiting for " + waiting, null, recheck).holdingSince(holdingSince)
        .waitingFor(pending);
  }

  @Override
  public StepEffects undo(StepContext context) {
    // A wait changed nothing.
    return StepEffects.NONE;
  }

  @Override
  public String whyIrreversible(StepContext context) {
    return null;
  }

  private static List<Workload> workloads(StepContext context) {
    List<Workload> workloads = context.migration().getSpec().getWorkloads();
    return workloads == null ? List.of() : workloads;
  }

  private static Duration roundUp(Duration d) {
    return Duration.ofSeconds(d.toMillis() / 1000 + (d.toMillis() % 1000 == 0 ? 0 : 1));
  }
}
