package dev.lockstep.steps;

import dev.lockstep.api.RepairStatus;
import dev.lockstep.protocol.StuckState;
import dev.lockstep.reconcile.NewReasons;
import java.util.List;

/** Turns the stuck states a runner found into what status records of a needed repair. */
public final class RepairNeeds {

  private RepairNeeds() {}

  /**
   * The repair {@code stuck} calls for, or {@code null} when nothing is stuck. The reason names the
   * gravest problem: a failed history row, else a held lock, else an invalid index.
   */
  public static RepairStatus of(List<StuckState> stuck) {
    if (stuck == null || stuck.isEmpty()) {
      return null;
    }
    RepairStatus repair = new RepairStatus();
    StuckState failed = first(stuck, StuckState.Kind.FAILED_MIGRATION);
    if (failed != null) {
      repair.setReason(NewReasons.FAILED_MIGRATION);
      repair.setVersion(failed.getVersion());
      repair.setScript(failed.getScript());
    } else if (first(stuck, StuckState.Kind.HELD_LOCK) != null) {
      repair.setReason(NewReasons.FLYWAY_LOCK_HELD);
    } else {
      repair.setReason(NewReasons.INVALID_INDEX);
    }
    repair.setProblems(stuck.stream().map(StuckState::describe).toList());
    return repair;
  }

  private static StuckState first(List<StuckState> stuck, StuckState.Kind kind) {
    return stuck.stream().filter(s -> s.getKind() == kind).findFirst().orElse(null);
  }
}
