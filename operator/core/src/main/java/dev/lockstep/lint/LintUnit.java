package dev.lockstep.lint;

import dev.lockstep.api.Approval;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.lint.plan.MigrationPlan;
import dev.lockstep.lint.plan.ScriptName;
import dev.lockstep.lint.plan.StepScripts;
import dev.lockstep.sql.Script;
import dev.lockstep.sql.ScriptException;
import dev.lockstep.sql.ScriptSplitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Scripts of one database, split into statements and laid out in the order they run: each step's
 * scripts, then scripts no step runs, then the undo scripts in the order a full rollback runs them.
 * Scripts are given as file name to content; a {@code V2__x.sql.conf} entry is the Flyway script
 * configuration of {@code V2__x.sql}.
 *
 * @param steps for a SchemaMigration, its steps in order; empty for bare scripts
 * @param unassigned scripts no step runs, in Flyway's order
 */
public record LintUnit(List<StepUnit> steps, List<Script> unassigned) {

  /** Annotation naming the steps (comma-separated) whose high risk a person has accepted. */
  public static final String ACCEPT_RISK_ANNOTATION = "lockstep.dev/accept-risk";

  /**
   * One step and its scripts.
   *
   * @param approvalRequired the step has {@code approval: required}
   * @param riskAccepted the accept-risk annotation names it
   */
  public record StepUnit(
      String name, List<Script> forward, List<Script> undo, boolean approvalRequired, boolean riskAccepted) {}

  /** The scripts of {@code migration}, given as file name to SQL, split and assigned to its steps. */
  public static LintUnit of(SchemaMigration migration, Map<String, String> scriptsByFileName, ScriptSplitter splitter)
      throws LintException {
    List<Step> steps = migration.getSpec() == null || migration.getSpec().getSteps() == null
        ? List.of()
        : migration.getSpec().getSteps();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).getName() == null || steps.get(i).getName().isBlank()) {
        // Findings are told apart by step name: without one there is nothing to pin them on.
        throw new LintException(migrationName(migration) + ": spec.steps[" + i + "] has no name; give every step a name");
      }
    }
    MigrationPlan plan;
    try {
      plan = MigrationPlan.of(steps, sqlNames(scriptsByFileName));
    } catch (IllegalArgumentException e) {
      throw new LintException(migrationName(migration) + ": " + e.getMessage(), e);
    }
    Set<String> accepted = acceptedSteps(migration);
    List<StepUnit> units = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      StepScripts scripts = plan.steps().get(i);
      units.add(new StepUnit(step.getName(), split(scripts.forward(), scriptsByFileName, splitter),
          split(scripts.undo(), scriptsByFileName, splitter), step.getApproval() == Approval.REQUIRED,
          accepted.contains(step.getName())));
    }
    return new LintUnit(List.copyOf(units), split(flywayOrder(plan.unassigned()), scriptsByFileName, splitter));
  }

  /** Scripts that no SchemaMigration runs, in Flyway's order. */
  public static LintUnit ofScripts(Map<String, String> scriptsByFileName, ScriptSplitter splitter)
      throws LintException {
    return new LintUnit(List.of(), split(flywayOrder(sqlNames(scriptsByFileName)), scriptsByFileName, splitter));
  }

  /** The step names in the accept-risk annotation. */
  static Set<String> acceptedSteps(SchemaMigration migration) {
    Map<String, String> annotations = migration.getMetadata() == null ? null : migration.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(ACCEPT_RISK_ANNOTATION);
    if (value == null) {
      return Set.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  static String migrationName(SchemaMigration migration) {
    String name = migration.getMetadata() == null ? null : migration.getMetadata().getName();
    return "SchemaMigration " + (name == null ? "(no name)" : name);
  }

  /**
   * Versioned scripts by version, then repeatable ones, then undo scripts newest first, then any
   * other file by name.
   */
  static List<String> flywayOrder(Collection<String> names) {
    Comparator<String> order = Comparator.comparingInt(LintUnit::rank);
    order = order.thenComparing((a, b) -> {
      ScriptName first = ScriptName.parse(a).orElse(null);
      ScriptName second = ScriptName.parse(b).orElse(null);
      if (first != null && second != null && first.version() != null && second.version() != null) {
        int byVersion = first.version().compareTo(second.version());
        return first.kind() == ScriptName.Kind.UNDO ? -byVersion : byVersion;
      }
      return a.compareTo(b);
    });
    return names.stream().sorted(order).toList();
  }

  private static int rank(String name) {
    ScriptName script = ScriptName.parse(name).orElse(null);
    if (script == null) {
      return 3;
    }
    return switch (script.kind()) {
      case VERSIONED -> 0;
      case REPEATABLE -> 1;
      case UNDO -> 2;
    };
  }

  /** The scripts among the files; the rest are their Flyway script configurations (V2__x.sql.conf). */
  private static List<String> sqlNames(Map<String, String> files) {
    return files.keySet().stream().filter(name -> name.toLowerCase(Locale.ROOT).endsWith(".sql")).toList();
  }

  private static List<Script> split(List<String> names, Map<String, String> sql, ScriptSplitter splitter)
      throws LintException {
    List<Script> scripts = new ArrayList<>();
    for (String name : names) {
      try {
        scripts.add(splitter.split(name, sql.get(name), sql.get(name + ".conf")));
      } catch (ScriptException e) {
        throw new LintException(e.getMessage(), e);
      }
    }
    return List.copyOf(scripts);
  }
}
