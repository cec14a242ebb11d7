package dev.lockstep.cli.kubectl;

import dev.lockstep.cli.steps.StepKind;
import dev.lockstep.api.Annotations;
import dev.lockstep.api.Durations;
import dev.lockstep.api.RollbackPolicy;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepHold;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.api.WaitStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a migration waits for right now, read from its spec, annotations and status: a person
 * (approval, pause, a failed step), a gate (pods compatible with the next version, a wait step's
 * conditions), a Job, the queue, or nothing.
 *
 * @param kind what holds it
 * @param what the sentence {@code status} prints after "Waiting for:"
 */
record Hold(Kind kind, String what) {

  enum Kind {
    NOTHING,
    QUEUE,
    VALIDATION,
    APPROVAL,
    PAUSE,
    GUARD,
    COMPATIBILITY,
    JOB,
    WAIT_CONDITIONS,
    FLAGS,
    ROLLBACK,
    PERSON_AFTER_FAILURE
  }

  static final Hold NOTHING = new Hold(Kind.NOTHING, "");

  static Hold of(SchemaMigration migration, Instant now) {
    SchemaMigrationStatus status = migration.getStatus();
    String name = migration.getMetadata().getName();
    if (status == null || status.getPhase() == null) {
      return new Hold(Kind.QUEUE, "the operator to pick it up (no status yet)");
    }
    return switch (status.getPhase()) {
      case Pending, Queued -> new Hold(Kind.QUEUE, "its turn: dependencies that must succeed first and the"
          + " database's lease (see Message)");
      case Validating -> new Hold(Kind.VALIDATION, "validation of the spec, Secret, scripts and flags");
      case WaitingForApproval -> new Hold(Kind.APPROVAL, "approval of step " + status.getCurrentStep()
          + ": kubectl lockstep approve " + name + approvalWait(status, now));
      case Paused -> annotated(migration, Annotations.PAUSE)
          ? new Hold(Kind.PAUSE, "the pause to be lifted: kubectl lockstep resume " + name)
          : new Hold(Kind.GUARD, "the guards to hold again" + since(status.getGuardBreachSince(), now)
              + ", or kubectl lockstep abort " + name);
      case Progressing -> running(migration, now);
      case RollingBack -> rollingBack(status);
      case Failed -> failed(migration);
      case Succeeded, RolledBack -> NOTHING;
    };
  }

  private static Hold running(SchemaMigration migration, Instant now) {
    StepStatus running = inState(migration.getStatus(), StepState.Running);
    Step step = running == null ? null : spec(migration, running.getName());
    if (step == null || StepKind.of(step) == null) {
      return new Hold(Kind.QUEUE, "the operator to start the next step");
    }
    String gates = gates(running, now);
    if (gates != null) {
      return new Hold(running.getJob() == null && StepKind.of(step) == StepKind.MIGRATE ? Kind.COMPATIBILITY
          : StepKind.of(step) == StepKind.WAIT ? Kind.WAIT_CONDITIONS : Kind.JOB,
          "step " + step.getName() + " at " + gates);
    }
    return switch (StepKind.of(step)) {
      case MIGRATE -> running.getJob() == null
          ? new Hold(Kind.COMPATIBILITY, "every ready pod to support schema version " + step.getMigrate().getTo()
              + " before step " + step.getName() + " migrates (the compatibility gate)")
          : new Hold(Kind.JOB, "Job " + running.getJob() + " of step " + step.getName());
      case BACKFILL -> new Hold(Kind.JOB, running.getJob() == null
          ? "the Job of step " + step.getName() + " to start"
          : "Job " + running.getJob() + " of step " + step.getName());
      case FLAGS -> new Hold(Kind.FLAGS, "step " + step.getName() + " to write its flags and read them back");
      case WAIT -> new Hold(Kind.WAIT_CONDITIONS, "step " + step.getName() + ": "
          + String.join(", ", conditions(step.getWaitFor(), running, now)));
    };
  }

  /**
   * What the operator recorded the step waits for ({@code steps[].waitingFor}): each gate, what holds
   * it and for how long; {@code null} when it recorded nothing.
   */
  static String gates(StepStatus step, Instant now) {
    if (step == null || step.getWaitingFor() == null || step.getWaitingFor().isEmpty()) {
      return null;
    }
    List<String> gates = new ArrayList<>();
    for (StepHold hold : step.getWaitingFor()) {
      String waited = hold.getSince() == null ? ""
          : " (for " + HumanDuration.of(Duration.between(Instant.parse(hold.getSince()), now)) + ")";
      gates.add("the " + hold.getGate() + " gate" + waited + ": " + hold.getMessage());
    }
    return String.join("; ", gates);
  }

  /** A wait step's conditions, the soak with the time it has left. */
  static List<String> conditions(WaitStep wait, StepStatus running, Instant now) {
    List<String> conditions = new ArrayList<>();
    if (Boolean.TRUE.equals(wait.getPodsReady())) {
      conditions.add("pods ready");
    }
    if (wait.getCompatible() != null) {
      conditions.add("pods compatible with " + wait.getCompatible());
    }
    if (wait.getDuration() != null) {
      String soak = "soak " + wait.getDuration();
      if (running != null && running.getStartedAt() != null) {
        Duration length = Durations.parseOr(wait.getDuration(), "wait.duration", Duration.ZERO);
        Duration left = Duration.between(now, Instant.parse(running.getStartedAt()).plus(length));
        soak += left.isNegative() ? " (done)" : " (" + HumanDuration.of(left) + " left)";
      }
      conditions.add(soak);
    }
    if (wait.getPrometheus() != null) {
      String query = "prometheus " + wait.getPrometheus().getQuery();
      if (wait.getPrometheus().getForDuration() != null) {
        query += " for " + wait.getPrometheus().getForDuration();
      }
      if (running != null && running.getHoldingSince() != null) {
        query += " (holding since " + running.getHoldingSince() + ")";
      }
      conditions.add(query);
    }
    return conditions;
  }

  private static Hold rollingBack(SchemaMigrationStatus status) {
    StepStatus undoing = inState(status, StepState.RollingBack);
    if (undoing == null) {
      return new Hold(Kind.ROLLBACK, "the rollback of the next completed step");
    }
    return new Hold(Kind.ROLLBACK, "the undo of step " + undoing.getName()
        + (undoing.getUndoJob() == null ? "" : " (Job " + undoing.getUndoJob() + ")"));
  }

  private static Hold failed(SchemaMigration migration) {
    StepStatus failed = inState(migration.getStatus(), StepState.Failed);
    boolean manual = migration.getSpec() != null && migration.getSpec().getRollback() != null
        && migration.getSpec().getRollback().getPolicy() == RollbackPolicy.Manual;
    if (failed == null || !manual) {
      return NOTHING;
    }
    String name = migration.getMetadata().getName();
    return new Hold(Kind.PERSON_AFTER_FAILURE, "a person: kubectl lockstep retry " + name + " " + failed.getName()
        + ", or kubectl lockstep abort " + name);
  }

  private static String approvalWait(SchemaMigrationStatus status, Instant now) {
    StepStatus step = status.getSteps() == null ? null : status.getSteps().stream()
        .filter(s -> s.getName().equals(status.getCurrentStep())).findFirst().orElse(null);
    if (step == null || step.getWaitingFor() == null) {
      return "";
    }
    return step.getWaitingFor().stream().filter(h -> "approval".equals(h.getGate()) && h.getSince() != null)
        .findFirst().map(h -> " (waiting " + HumanDuration.of(Duration.between(Instant.parse(h.getSince()), now)) + ")")
        .orElse("");
  }

  private static String since(String timestamp, Instant now) {
    if (timestamp == null) {
      return "";
    }
    return " (breached for " + HumanDuration.of(Duration.between(Instant.parse(timestamp), now)) + ")";
  }

  static StepStatus inState(SchemaMigrationStatus status, StepState state) {
    if (status == null || status.getSteps() == null) {
      return null;
    }
    return status.getSteps().stream().filter(s -> s.getState() == state).findFirst().orElse(null);
  }

  static Step spec(SchemaMigration migration, String stepName) {
    if (migration.getSpec() == null || migration.getSpec().getSteps() == null) {
      return null;
    }
    return migration.getSpec().getSteps().stream().filter(s -> s.getName().equals(stepName)).findFirst().orElse(null);
  }

  static boolean annotated(SchemaMigration migration, String key) {
    Map<String, String> annotations = migration.getMetadata().getAnnotations();
    return annotations != null && annotations.get(key) != null && "true".equalsIgnoreCase(annotations.get(key).trim());
  }
}
