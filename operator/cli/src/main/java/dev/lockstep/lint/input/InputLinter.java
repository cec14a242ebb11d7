package dev.lockstep.lint.input;

import dev.lockstep.api.ConfigMapRef;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.lint.Finding;
import dev.lockstep.lint.LintException;
import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.LintUnit;
import dev.lockstep.lint.Linter;
import dev.lockstep.lint.StepRisk;
import dev.lockstep.lint.input.LintInputs.Manifest;
import dev.lockstep.lint.input.LintInputs.SqlFile;
import dev.lockstep.lint.shadow.ShadowAnalysis;
import dev.lockstep.lint.sql.ScriptSplitter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lints what {@code lockstep lint} was given: each SchemaMigration with its scripts (from the ConfigMap
 * it names, when that is among the inputs, else from the {@code .sql} files), then the {@code .sql}
 * files no manifest uses, as bare scripts.
 */
public final class InputLinter {

  private final Linter linter;
  private final ScriptSplitter splitter;

  public InputLinter(int postgresMajorVersion, ShadowAnalysis shadow) {
    this.linter = new Linter(postgresMajorVersion, shadow);
    this.splitter = new ScriptSplitter(postgresMajorVersion);
  }

  public LintResult lint(LintInputs inputs) throws LintException {
    LintResult result = LintResult.empty();
    Set<String> usedFiles = new HashSet<>();
    boolean qualifySteps = inputs.manifests().size() > 1;
    for (Manifest manifest : inputs.manifests()) {
      SchemaMigration migration = manifest.migration();
      Map<String, String> scripts = scriptsOf(manifest, inputs, usedFiles);
      LintResult lint = linter.lint(LintUnit.of(migration, scripts, splitter));
      String prefix = qualifySteps ? nameOf(migration) + "/" : "";
      result = result.plus(withPaths(lint, inputs, prefix));
    }
    Map<String, String> bare = new LinkedHashMap<>();
    inputs.sqlFiles().forEach((name, file) -> {
      if (!usedFiles.contains(name)) {
        bare.put(name, file.sql());
      }
    });
    if (!bare.isEmpty()) {
      result = result.plus(withPaths(linter.lint(LintUnit.ofScripts(bare, splitter)), inputs, ""));
    }
    return result;
  }

  private static Map<String, String> scriptsOf(Manifest manifest, LintInputs inputs, Set<String> usedFiles)
      throws LintException {
    SchemaMigration migration = manifest.migration();
    ConfigMapRef configMap = migration.getSpec() == null || migration.getSpec().getScripts() == null
        ? null
        : migration.getSpec().getScripts().getConfigMapRef();
    if (configMap != null && inputs.configMaps().containsKey(configMap.getName())) {
      Map<String, String> scripts = new LinkedHashMap<>();
      inputs.configMaps().get(configMap.getName()).forEach((key, sql) -> {
        String lowerCase = key.toLowerCase(Locale.ROOT);
        if (lowerCase.endsWith(".sql") || lowerCase.endsWith(".sql.conf")) {
          scripts.put(key, sql);
        }
      });
      return scripts;
    }
    if (inputs.sqlFiles().isEmpty()) {
      String source = configMap != null ? "the ConfigMap " + configMap.getName() + ", which is not among the inputs"
          : "a scripts image";
      throw new LintException(manifest.file() + ": SchemaMigration " + nameOf(migration)
          + " takes its scripts from " + source + "; pass the ConfigMap manifest or the directory of .sql files too");
    }
    Map<String, String> scripts = new LinkedHashMap<>();
    inputs.sqlFiles().forEach((name, file) -> scripts.put(name, file.sql()));
    usedFiles.addAll(scripts.keySet());
    return scripts;
  }

  private static String nameOf(SchemaMigration migration) {
    String name = migration.getMetadata() == null ? null : migration.getMetadata().getName();
    return name == null ? "(no name)" : name;
  }

  /** Findings of files on disk name the file as given on the command line; step names get a prefix. */
  private static LintResult withPaths(LintResult result, LintInputs inputs, String stepPrefix) {
    List<Finding> findings = result.findings().stream().map(finding -> {
      SqlFile file = inputs.sqlFiles().get(finding.file());
      Finding located = file == null ? finding : finding.withFile(file.path().toString());
      return located.step() == null ? located : located.withStep(stepPrefix + located.step());
    }).toList();
    List<StepRisk> steps = result.steps().stream()
        .map(step -> new StepRisk(stepPrefix + step.name(), step.risk(), step.approvalRequired(), step.riskAccepted()))
        .toList();
    return new LintResult(findings, steps);
  }
}
