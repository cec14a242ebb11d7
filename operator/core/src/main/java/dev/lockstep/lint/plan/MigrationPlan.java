package dev.lockstep.lint.plan;

import dev.lockstep.api.MigrateStep;
import dev.lockstep.api.Step;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Which scripts each step of a SchemaMigration runs.
 *
 * <p>Steps run in order; a {@code migrate: {to: V}} step applies the versioned scripts newer than the
 * previous migrate step's target, up to and including V. The first migrate step gets every version up
 * to its target: versions the database already has are skipped at run time, but which those are
 * cannot be known without the database, so the linter judges them all. Undo scripts belong to the step
 * that applied their version. Versioned scripts no step applies, and repeatable scripts, are left over.
 */
public record MigrationPlan(List<StepScripts> steps, List<String> unassigned) {

  /**
   * The plan of {@code steps} over the scripts named {@code scriptNames}.
   *
   * @throws IllegalArgumentException when two scripts have one version, a target is not a version, or
   *     targets go backwards; the message says which
   */
  public static MigrationPlan of(List<Step> steps, Collection<String> scriptNames) {
    Map<MigrationVersion, String> versioned = new TreeMap<>();
    Map<MigrationVersion, String> undo = new TreeMap<>();
    List<String> unassigned = new ArrayList<>();
    for (String name : scriptNames) {
      ScriptName script = ScriptName.parse(name).orElse(null);
      if (script == null || script.kind() == ScriptName.Kind.REPEATABLE) {
        unassigned.add(name);
        continue;
      }
      Map<MigrationVersion, String> byVersion = script.kind() == ScriptName.Kind.VERSIONED ? versioned : undo;
      String other = byVersion.put(script.version(), name);
      if (other != null) {
        throw new IllegalArgumentException(
            "scripts " + other + " and " + name + " have the same version " + script.version()
                + "; Flyway refuses that: give one of them another version");
      }
    }
    List<StepScripts> planned = new ArrayList<>();
    MigrationVersion previous = null;
    String previousStep = null;
    for (Step step : steps) {
      MigrateStep migrate = step.getMigrate();
      if (migrate == null) {
        planned.add(new StepScripts(step.getName(), List.of(), List.of()));
        continue;
      }
      MigrationVersion target = target(step, migrate);
      if (previous != null && target.compareTo(previous) < 0) {
        throw new IllegalArgumentException("step " + step.getName() + " migrates to " + target
            + ", below step " + previousStep + "'s target " + previous + "; targets must not go backwards");
      }
      List<String> forward = new ArrayList<>();
      List<String> undoScripts = new ArrayList<>();
      for (Map.Entry<MigrationVersion, String> entry : versioned.entrySet()) {
        MigrationVersion version = entry.getKey();
        if ((previous == null || version.compareTo(previous) > 0) && version.compareTo(target) <= 0) {
          forward.add(entry.getValue());
          if (undo.containsKey(version)) {
            undoScripts.add(0, undo.get(version));
          }
        }
      }
      planned.add(new StepScripts(step.getName(), List.copyOf(forward), List.copyOf(undoScripts)));
      previous = target;
      previousStep = step.getName();
    }
    MigrationVersion lastTarget = previous;
    versioned.forEach((version, name) -> {
      if (lastTarget == null || version.compareTo(lastTarget) > 0) {
        unassigned.add(name);
      }
    });
    undo.forEach((version, name) -> {
      if (!versioned.containsKey(version) || lastTarget == null || version.compareTo(lastTarget) > 0) {
        unassigned.add(name);
      }
    });
    unassigned.sort(Comparator.naturalOrder());
    return new MigrationPlan(List.copyOf(planned), List.copyOf(unassigned));
  }

  private static MigrationVersion target(Step step, MigrateStep migrate) {
    try {
      return MigrationVersion.fromVersion(migrate.getTo());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "step " + step.getName() + ": migrate.to \"" + migrate.getTo() + "\" is not a Flyway version"
              + " (write it like \"2\" or \"2.1\")");
    }
  }
}
