package dev.lockstep.cli.kubectl;

import dev.lockstep.api.ConfigMapRef;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.lint.LintException;
import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.LintUnit;
import dev.lockstep.lint.Linter;
import dev.lockstep.lint.input.LintInputs;
import dev.lockstep.lint.plan.MigrationPlan;
import dev.lockstep.sql.ScriptSplitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plan of each SchemaMigration in some files: which scripts each step runs
 * ({@link MigrationPlan}) and their risk, judged statically by the linter's rules.
 */
final class MigrationPlans {

  /**
   * One migration's plan.
   *
   * @param source where its scripts came from, in words
   */
  record Planned(SchemaMigration migration, MigrationPlan plan, LintResult risk, String source) {}

  private MigrationPlans() {}

  static List<Planned> read(List<Path> paths, int postgresMajorVersion) throws LintException {
    LintInputs inputs = LintInputs.read(paths);
    Linter linter = new Linter(postgresMajorVersion, null);
    ScriptSplitter splitter = new ScriptSplitter(postgresMajorVersion);
    List<Planned> plans = new ArrayList<>();
    for (LintInputs.Manifest manifest : inputs.manifests()) {
      SchemaMigration migration = manifest.migration();
      if (migration.getMetadata().getNamespace() == null) {
        migration.getMetadata().setNamespace("default");
      }
      List<Step> steps = migration.getSpec() == null || migration.getSpec().getSteps() == null
          ? List.of() : migration.getSpec().getSteps();
      Map<String, String> scripts = new LinkedHashMap<>();
      String source = scriptsOf(manifest, inputs, scripts);
      MigrationPlan plan;
      try {
        plan = MigrationPlan.of(steps, scripts.keySet().stream()
            .filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".sql")).toList());
      } catch (IllegalArgumentException e) {
        throw new LintException(manifest.file() + ": SchemaMigration " + migration.getMetadata().getName() + ": "
            + e.getMessage(), e);
      }
      plans.add(new Planned(migration, plan, linter.lint(LintUnit.of(migration, scripts, splitter)), source));
    }
    return plans;
  }

  /** Fills {@code scripts} from the ConfigMap the migration names, else the .sql files given. */
  private static String scriptsOf(LintInputs.Manifest manifest, LintInputs inputs, Map<String, String> scripts)
      throws LintException {
    SchemaMigration migration = manifest.migration();
    ConfigMapRef configMap = migration.getSpec() == null || migration.getSpec().getScripts() == null
        ? null : migration.getSpec().getScripts().getConfigMapRef();
    if (configMap != null && inputs.configMaps().containsKey(configMap.getName())) {
      inputs.configMaps().get(configMap.getName()).forEach((key, sql) -> {
        String lowerCase = key.toLowerCase(Locale.ROOT);
        if (lowerCase.endsWith(".sql") || lowerCase.endsWith(".sql.conf")) {
          scripts.put(key, sql);
        }
      });
      return "ConfigMap " + configMap.getName();
    }
    if (inputs.sqlFiles().isEmpty()) {
      String from = configMap != null ? "the ConfigMap " + configMap.getName() + ", which is not among the files"
          : "a scripts image";
      throw new LintException(manifest.file() + ": SchemaMigration " + migration.getMetadata().getName()
          + " takes its scripts from " + from + "; give its manifest or the directory of .sql files with -f too");
    }
    inputs.sqlFiles().forEach((name, file) -> scripts.put(name, file.sql()));
    return ".sql files";
  }
}
