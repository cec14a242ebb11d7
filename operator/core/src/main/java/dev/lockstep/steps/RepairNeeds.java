package dev.lockstep.steps;

import dev.lockstep.api.RepairReason;
import dev.lockstep.api.RepairStatus;
import dev.lockstep.protocol.StuckState;
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
      repair.setReason(RepairReason.FailedMigration);
      repair.setVersion(failed.getVersion());
      repair.setScript(failed.getScript());
    } else if (first(stuck, StuckState.Kind.HELD_LOCK) != null) {
      repair.setReason(RepairReason.FlywayLockHeld);
    } else {
      repair.setReason(RepairReason.InvalidIndex);
    }
    repair.setProblems(stuck.stream().map(StuckState::describe).toList());
    return repair;
  }

  private static StuckState first(List<StuckState> stuck, StuckState.Kind kind) {
    return stuck.stream().filter(s -> s.getKind() == kind).findFirst().orElse(null);
  }
}
