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
 *     the repair of what it left when it failed half-way, {@code inspect} for the inspection of a
 *     scripts image (step {@link #SCRIPTS})
 * @param attempt 1 for the first attempt, counted per step and action
 * @param args the runner's arguments, for example {@code migrate --to 2}
 * @param deadline becomes {@code activeDeadlineSeconds}
 * @param progressPort the port the runner serves its progress on (a backfill), declared as the
 *     container's {@code progress} port; {@code null} for none
 */
public record RunnerJobRequest(
    SchemaMigration migration,
    String step,
    String action,
    int attempt,
    List<String> args,
    Duration deadline,
    Integer progressPort) {

  public RunnerJobRequest(
      SchemaMigration migration, String step, String action, int attempt, List<String> args, Duration deadline) {
    this(migration, step, action, attempt, args, deadline, null);
  }

  /** The same request, with the runner serving its progress on {@code port}. */
  public RunnerJobRequest withProgressPort(int port) {
    return new RunnerJobRequest(migration, step, action, attempt, args, deadline, port);
  }

  public static final String DO = "do";
  public static final String UNDO = "undo";
  public static final String REPAIR = "repair";
  public static final String INSPECT = "inspect";

  /** The step label of an inspection Job, which serves no step. */
  public static final String SCRIPTS = "scripts";

  /** The inspection of {@code migration}'s scripts image: reads files, needs no database. */
  public static RunnerJobRequest inspection(SchemaMigration migration, List<String> args, Duration deadline) {
    return new RunnerJobRequest(migration, SCRIPTS, INSPECT, 1, args, deadline);
  }

  /** Whether the runner connects to the database (and so gets the Secret's keys). */
  public boolean usesDatabase() {
    return !INSPECT.equals(action);
  }

  /** The same request for another attempt. */
  public RunnerJobRequest withAttempt(int otherAttempt) {
    return new RunnerJobRequest(migration, step, action, otherAttempt, args, deadline, progressPort);
  }

  public String jobName() {
    String name = migration.getMetadata().getName();
    if (INSPECT.equals(action)) {
      var image = migration.getSpec().getScripts().getImage();
      return JobNames.forInspection(name, image.getName(), image.getPath());
    }
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
