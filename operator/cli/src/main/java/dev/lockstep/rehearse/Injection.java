package dev.lockstep.rehearse;


import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.cli.steps.StepKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A fault a rehearsal injects so a team sees its rollback happen, under traffic, before it needs it:
 * {@code --inject KIND@STEP}, where STEP is a step's name (or {@code migration/step} when two
 * migrations have a step of that name).
 *
 * @param migration {@code namespace/name} of the migration that has the step
 */
public record Injection(Kind kind, String migration, String step, StepKind stepKind) {

  /** What goes wrong. */
  public enum Kind {
    /** The step's Job fails: its script (or batch) fails and changes nothing. Migrate and backfill steps. */
    FAIL("fail"),
    /** Once the step succeeded, a pod of the migration's workload stops being ready. */
    UNREADY("unready"),
    /** Once the step succeeded, the migration's Prometheus guard reads a value out of bounds. */
    PROMETHEUS("prometheus"),
    /** The step's undo Job fails during the rollback. Migrate and backfill steps; needs a fault that starts a rollback. */
    UNDO_FAIL("undo-fail");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    /** Whether this fault by itself makes the migration roll back. */
    boolean startsRollback() {
      return switch (this) {
        case FAIL, UNREADY, PROMETHEUS -> true;
        case UNDO_FAIL -> false;
      };
    }

    static Kind parse(String text) {
      for (Kind kind : values()) {
        if (kind.text.equals(text)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("--inject " + text + "@...: unknown fault; use fail, unready, prometheus or undo-fail");
    }
  }

  @Override
  public String toString() {
    return kind.text + "@" + step;
  }

  /**
   * Parses every {@code --inject} value against the migrations that will run.
   *
   * @throws IllegalArgumentException naming the value and what is wrong with it
   */
  public static List<Injection> parse(List<String> values, List<SchemaMigration> migrations) {
    List<Injection> injections = new ArrayList<>();
    for (String value : values) {
      int at = value.indexOf('@');
      if (at <= 0 || at == value.length() - 1) {
        throw new IllegalArgumentException("--inject " + value + ": write KIND@STEP, e.g. fail@contract");
      }
      Kind kind = Kind.parse(value.substring(0, at));
      String target = value.substring(at + 1);
      List<Injection> matches = new ArrayList<>();
      for (SchemaMigration m : migrations) {
        String id = m.getMetadata().getNamespace() + "/" + m.getMetadata().getName();
        for (Step step : m.getSpec() == null || m.getSpec().getSteps() == null ? List.<Step>of() : m.getSpec().getSteps()) {
          if (target.equals(step.getName()) || target.equals(m.getMetadata().getName() + "/" + step.getName())) {
            matches.add(new Injection(kind, id, step.getName(), StepKind.of(step)));
          }
        }
      }
      if (matches.isEmpty()) {
        throw new IllegalArgumentException("--inject " + value + ": no migration has a step named " + target);
      }
      if (matches.size() > 1) {
        throw new IllegalArgumentException("--inject " + value + ": several migrations have a step " + target
            + "; write MIGRATION/STEP");
      }
      Injection injection = matches.get(0);
      boolean runsJob = injection.stepKind() == StepKind.MIGRATE || injection.stepKind() == StepKind.BACKFILL;
      if ((kind == Kind.FAIL || kind == Kind.UNDO_FAIL) && !runsJob) {
        throw new IllegalArgumentException("--inject " + value + ": step " + injection.step() + " is a "
            + (injection.stepKind() == null ? "step" : injection.stepKind().field())
            + " step, which runs no Job; " + kind.text + " applies to migrate and backfill steps");
      }
      if ((kind == Kind.UNREADY) && workloads(migrations, injection.migration()).isEmpty()) {
        throw new IllegalArgumentException("--inject " + value + ": migration " + injection.migration()
            + " lists no workloads, so no pod of it can stop being ready");
      }
      injections.add(injection);
    }
    if (injections.stream().anyMatch(i -> i.kind() == Kind.UNDO_FAIL)
        && injections.stream().noneMatch(i -> i.kind().startsRollback())) {
      throw new IllegalArgumentException("--inject undo-fail@...: an undo runs only in a rollback; add a fault that"
          + " starts one, e.g. --inject fail@<a later step>");
    }
    return injections;
  }

  private static List<?> workloads(List<SchemaMigration> migrations, String id) {
    return migrations.stream()
        .filter(m -> (m.getMetadata().getNamespace() + "/" + m.getMetadata().getName()).equals(id))
        .map(m -> m.getSpec().getWorkloads() == null ? List.of() : m.getSpec().getWorkloads())
        .findFirst().orElse(List.of());
  }
}
