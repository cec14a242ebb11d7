package dev.lockstep.jobs;

import dev.lockstep.api.SchemaMigration;
import java.time.Duration;
import java.util.List;

/**
 * Everything that makes one runner Job: which migration and step it serves, which attempt, what the
 * runner is told to do, and how long it may take.
 *
 * @param migration the owner; the Job is garbage-collected with it
 * @param step the step the Job serves
 * @param action {@code do} for the step itself, {@code undo} for its rollback, {@code repair} for
 *     the repair of what it left when it failed half-way
 * @param attempt 1 for the first attempt, counted per step and action
 * @param args the runner's arguments, for example {@code migrate --to 2}
 * @param deadline becomes {@code activeDeadlineSeconds}
 */
public record RunnerJobRequest(
    SchemaMigration migration,
    String step,
    String action,
    int attempt,
    List<String> args,
    Duration deadline) {

  public static final String DO = "do";
  public static final String UNDO = "undo";
  public static final String REPAIR = "repair";

  /** The same request for another attempt. */
  public RunnerJobRequest withAttempt(int otherAttempt) {
    return new RunnerJobRequest(migration, step, action, otherAttempt, args, deadline);
  }

  public String jobName() {
    String name = migration.getMetadata().getName();
    return switch (action) {
      case UNDO -> JobNames.forUndo(name, step, attempt);
      case REPAIR -> JobNames.forRepair(name, step, attempt);
      default -> JobNames.forStep(name, step, attempt);
    };
  }

  public String namespace() {
    return migration.getMetadata().getNamespace();
  }
}
