package dev.lockstep.lint.input;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.lint.plan.MigrationPlan;
import dev.lockstep.lint.plan.StepScripts;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Which step of which SchemaMigration runs each script, when several linted SchemaMigrations share one
 * source of scripts (a ConfigMap, or the same .sql files): a script is judged once, under that step.
 *
 * <p>Two migrations can both claim a script: the first migrate step of each is judged on every version
 * up to its target. The one that runs first owns it: a migration runs after those it depends on
 * (directly or not), and of two independent ones, the step with the lower target applies the script
 * first. A script no migration runs is bare, judged once in the first migration's context.
 */
final class ScriptOwners {

  /** A step of the migration at {@code manifest} (its index among the inputs), or bare when step is null. */
  record Owner(int manifest, String step) {}

  private record Claim(int manifest, int depth, MigrationVersion target, String step) {}

  private final Map<String, Owner> owners = new HashMap<>();

  /**
   * @param migrations the linted SchemaMigrations, in input order
   * @param sources for each migration, the identity of its scripts' source (equal for shared ones)
   * @param scriptNames for each migration, the names of its scripts
   * @param plans for each migration, which scripts each of its steps runs
   */
  ScriptOwners(List<SchemaMigration> migrations, List<String> sources, List<Collection<String>> scriptNames,
      List<MigrationPlan> plans) {
    Map<String, Claim> best = new HashMap<>();
    for (int i = 0; i < migrations.size(); i++) {
      int depth = depth(migrations, i, new HashSet<>());
      List<Step> steps = stepsOf(migrations.get(i));
      MigrationVersion target = null;
      for (int s = 0; s < steps.size(); s++) {
        Step step = steps.get(s);
        if (step.getMigrate() != null) {
          target = MigrationVersion.fromVersion(step.getMigrate().getTo());
        }
        StepScripts scripts = plans.get(i).steps().get(s);
        Claim claim = new Claim(i, depth, target, step.getName());
        for (String script : concat(scripts.forward(), scripts.undo())) {
          best.merge(key(sources.get(i), script), claim, ScriptOwners::earlier);
        }
      }
    }
    best.forEach((key, claim) -> owners.put(key, new Owner(claim.manifest(), claim.step())));
    for (int i = 0; i < migrations.size(); i++) {
      for (String script : scriptNames.get(i)) {
        owners.putIfAbsent(key(sources.get(i), script), new Owner(i, null));
      }
    }
  }

  /** Whether the migration at {@code manifest} judges {@code script} under {@code step} (null: bare). */
  boolean judges(int manifest, String source, String script, String step) {
    Owner owner = owners.get(key(source, script));
    return owner == null || owner.manifest() == manifest && java.util.Objects.equals(owner.step(), step);
  }

  private static Claim earlier(Claim a, Claim b) {
    if (a.depth() != b.depth()) {
      return a.depth() < b.depth() ? a : b;
    }
    int byTarget = a.target().compareTo(b.target());
    if (byTarget != 0) {
      return byTarget < 0 ? a : b;
    }
    return a.manifest() <= b.manifest() ? a : b;
  }

  /** The length of the longest dependsOn chain below the migration, among the linted ones. */
  private static int depth(List<SchemaMigration> migrations, int index, Set<Integer> seen) {
    if (!seen.add(index)) {
      return 0; // a cycle: validation reports it; here it only must not loop
    }
    SchemaMigration migration = migrations.get(index);
    List<String> dependsOn = migration.getSpec() == null || migration.getSpec().getDependsOn() == null
        ? List.of()
        : migration.getSpec().getDependsOn();
    int depth = 0;
    for (int j = 0; j < migrations.size(); j++) {
      String name = migrations.get(j).getMetadata() == null ? null : migrations.get(j).getMetadata().getName();
      if (j != index && name != null && dependsOn.contains(name)) {
        depth = Math.max(depth, 1 + depth(migrations, j, new HashSet<>(seen)));
      }
    }
    return depth;
  }

  private static List<Step> stepsOf(SchemaMigration migration) {
    return migration.getSpec() == null || migration.getSpec().getSteps() == null
        ? List.of()
        : migration.getSpec().getSteps();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static String key(String source, String script) {
    return source + "\n" + script;
  }
}
