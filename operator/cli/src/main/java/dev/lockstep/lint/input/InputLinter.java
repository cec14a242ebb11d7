package dev.lockstep.lint.input;

import dev.lockstep.api.ConfigMapRef;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.lint.Finding;
import dev.lockstep.lint.LintException;
import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.LintUnit;
import dev.lockstep.lint.Linter;
import dev.lockstep.lint.StepRisk;
import dev.lockstep.lint.input.LintInputs.ConfigMapFile;
import dev.lockstep.lint.input.LintInputs.Manifest;
import dev.lockstep.lint.input.LintInputs.SqlFile;
import dev.lockstep.lint.plan.MigrationPlan;
import dev.lockstep.lint.rules.Risk;
import dev.lockstep.lint.shadow.ShadowAnalysis;
import dev.lockstep.sql.ScriptSplitter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
 *
 * <p>Each migration is linted with all of its scripts, so that every script is judged on the schema the
 * scripts before it made; but when SchemaMigrations share their scripts, each script is reported once,
 * under the step that runs it ({@link ScriptOwners}), and a script counts as bare only when no
 * migration runs it.
 */
public final class InputLinter {

  private static final String SQL_FILES = "files";

  private final Linter linter;
  private final ScriptSplitter splitter;

  public InputLinter(int postgresMajorVersion, ShadowAnalysis shadow) {
    this.linter = new Linter(postgresMajorVersion, shadow);
    this.splitter = new ScriptSplitter(postgresMajorVersion);
  }

  public LintedInputs lint(LintInputs inputs) throws LintException {
    Set<String> usedFiles = new HashSet<>();
    List<SchemaMigration> migrations = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<Map<String, String>> scripts = new ArrayList<>();
    List<LintUnit> units = new ArrayList<>();
    List<MigrationPlan> plans = new ArrayList<>();
    for (Manifest manifest : inputs.manifests()) {
      SchemaMigration migration = manifest.migration();
      Map<String, String> own = scriptsOf(manifest, inputs, usedFiles);
      units.add(LintUnit.of(migration, own, splitter)); // throws, with the migration's name, on a bad plan
      migrations.add(migration);
      sources.add(sourceOf(migration, inputs));
      scripts.add(own);
      plans.add(MigrationPlan.of(stepsOf(migration), sqlNames(own)));
    }
    ScriptOwners owners = new ScriptOwners(migrations, sources,
        scripts.stream().map(s -> (Collection<String>) sqlNames(s)).toList(), plans);

    LintResult result = LintResult.empty();
    Map<Finding, SourceLocation> locations = new HashMap<>();
    boolean qualifySteps = inputs.manifests().size() > 1;
    for (int i = 0; i < migrations.size(); i++) {
      int index = i;
      LintResult lint = linter.lint(units.get(i));
      List<Finding> judged = lint.findings().stream()
          .filter(f -> owners.judges(index, sources.get(index), f.file(), f.step()))
          .toList();
      String prefix = qualifySteps ? nameOf(migrations.get(i)) + "/" : "";
      ConfigMapFile configMap = sources.get(i).equals(SQL_FILES) ? null
          : inputs.configMapFiles().get(sources.get(i));
      result = result.plus(located(new LintResult(judged, risksOf(lint.steps(), judged)), inputs, prefix,
          configMap, locations));
    }
    Map<String, String> bare = new LinkedHashMap<>();
    inputs.sqlFiles().forEach((name, file) -> {
      if (!usedFiles.contains(name)) {
        bare.put(name, file.sql());
      }
    });
    if (!bare.isEmpty()) {
      result = result.plus(located(linter.lint(LintUnit.ofScripts(bare, splitter)), inputs, "", null, locations));
    }
    List<LintedInputs.LintedMigration> planned = new ArrayList<>();
    for (int i = 0; i < migrations.size(); i++) {
      String prefix = qualifySteps ? nameOf(migrations.get(i)) + "/" : "";
      List<LintedInputs.PlannedStep> steps = stepsOf(migrations.get(i)).stream()
          .map(step -> new LintedInputs.PlannedStep(prefix + step.getName(), PlanDescription.of(step),
              step.getApproval() == dev.lockstep.api.Approval.REQUIRED))
          .toList();
      planned.add(new LintedInputs.LintedMigration(nameOf(migrations.get(i)),
          inputs.manifests().get(i).file().toString(), steps));
    }
    return new LintedInputs(result, Map.copyOf(locations), List.copyOf(planned));
  }

  /** Each step's risk from the findings judged under it, undo scripts left out. */
  private static List<StepRisk> risksOf(List<StepRisk> steps, List<Finding> judged) {
    return steps.stream().map(step -> {
      Risk risk = Risk.LOW;
      for (Finding finding : judged) {
        if (step.name().equals(finding.step()) && !finding.undo()) {
          risk = risk.max(finding.risk());
        }
      }
      return new StepRisk(step.name(), risk, step.approvalRequired(), step.riskAccepted());
    }).toList();
  }

  private static String sourceOf(SchemaMigration migration, LintInputs inputs) {
    ConfigMapRef configMap = configMapOf(migration);
    return configMap != null && inputs.configMaps().containsKey(configMap.getName()) ? configMap.getName() : SQL_FILES;
  }

  private static ConfigMapRef configMapOf(SchemaMigration migration) {
    return migration.getSpec() == null || migration.getSpec().getScripts() == null
        ? null
        : migration.getSpec().getScripts().getConfigMapRef();
  }

  private static Map<String, String> scriptsOf(Manifest manifest, LintInputs inputs, Set<String> usedFiles)
      throws LintException {
    SchemaMigration migration = manifest.migration();
    ConfigMapRef configMap = configMapOf(migration);
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

  private static List<dev.lockstep.api.Step> stepsOf(SchemaMigration migration) {
    return migration.getSpec() == null || migration.getSpec().getSteps() == null
        ? List.of()
        : migration.getSpec().getSteps();
  }

  private static List<String> sqlNames(Map<String, String> files) {
    return files.keySet().stream().filter(name -> name.toLowerCase(Locale.ROOT).endsWith(".sql")).toList();
  }

  private static String nameOf(SchemaMigration migration) {
    String name = migration.getMetadata() == null ? null : migration.getMetadata().getName();
    return name == null ? "(no name)" : name;
  }

  /**
   * Findings of files on disk name the file as given on the command line; step names get a prefix;
   * each finding's place in the input files goes to {@code locations}.
   */
  private static LintResult located(LintResult result, LintInputs inputs, String stepPrefix, ConfigMapFile configMap,
      Map<Finding, SourceLocation> locations) {
    List<Finding> findings = new ArrayList<>();
    for (Finding finding : result.findings()) {
      SqlFile file = inputs.sqlFiles().get(finding.file());
      Finding located = file == null ? finding : finding.withFile(file.path().toString());
      located = located.step() == null ? located : located.withStep(stepPrefix + located.step());
      findings.add(located);
      SourceLocation location = configMap == null || file != null
          ? new SourceLocation(located.file(), located.line())
          : new SourceLocation(configMap.file().toString(), configMap.fileLine(finding.file(), finding.line()));
      locations.put(located, location);
    }
    List<StepRisk> steps = result.steps().stream()
        .map(step -> new StepRisk(stepPrefix + step.name(), step.risk(), step.approvalRequired(), step.riskAccepted()))
        .toList();
    return new LintResult(List.copyOf(findings), steps);
  }
}
