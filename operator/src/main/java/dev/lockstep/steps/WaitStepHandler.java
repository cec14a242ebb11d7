package dev.lockstep.steps;

import dev.lockstep.api.Durations;
import dev.lockstep.api.StepKind;
import dev.lockstep.api.WaitStep;
import dev.lockstep.api.Workload;
import dev.lockstep.gates.Rollout;
import dev.lockstep.gates.WorkloadRollouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wait}: holds the migration until every condition it names holds. A soak is measured from
 * the start recorded in status, so it survives operator restarts.
 */
public final class WaitStepHandler implements StepHandler {

  /** How often a waiting step looks at the workloads again, besides watch events. */
  private static final Duration RECHECK = Duration.ofSeconds(2);

  private final WorkloadRollouts rollouts;

  public WaitStepHandler(WorkloadRollouts rollouts) {
    this.rollouts = rollouts;
  }

  @Override
  public StepKind kind() {
    return StepKind.WAIT;
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
    List<String> pending = new ArrayList<>();
    Duration recheck = RECHECK;
    if (wait.getDuration() != null) {
      Duration soak = Durations.parse(wait.getDuration(), "wait.duration");
      Instant until = context.startedAt().plus(soak);
      if (context.now().isBefore(until)) {
        Duration left = Duration.between(context.now(), until);
        pending.add("soaking, " + Durations.format(roundUp(left)) + " left of " + wait.getDuration());
        recheck = left.compareTo(RECHECK) < 0 ? left : RECHECK;
      }
    }
    if (Boolean.TRUE.equals(wait.getPodsReady())) {
      for (Workload workload : workloads(context)) {
        Rollout rollout = rollouts.rollout(context.namespace(), workload);
        if (!rollout.done()) {
          pending.add(rollout.detail());
        }
      }
    }
    if (pending.isEmpty()) {
      return StepObservation.succeeded("every condition holds", null);
    }
    return StepObservation.running("waiting: " + String.join("; ", pending), null, recheck);
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
