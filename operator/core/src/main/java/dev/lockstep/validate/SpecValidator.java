package dev.lockstep.validate;

import dev.lockstep.scripts.ScriptInventory;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.api.ScriptsSource;
import dev.lockstep.api.Step;
import dev.lockstep.flags.FlagValidation;
import dev.lockstep.api.Workload;
import static dev.lockstep.validate.StepValidation.blank;
import static dev.lockstep.validate.StepValidation.checkDuration;
import static dev.lockstep.validate.StepValidation.checkPrometheus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Checks a SchemaMigration before anything runs: the shape the CRD's schema and CEL rules promise
 * (checked again here, because not every API server enforces them), the references it makes, and
 * the features it uses. Plain code: every fact about the world comes in {@link ValidationFacts}.
 *
 * <p>Every problem is a sentence that names the field and says what to do.
 */
public final class SpecValidator {

  /** Job names and labels carry the resource name; labels stop at 63 characters. */
  static final int MAX_NAME_LENGTH = 63;

  private static final List<String> SECRET_KEYS = List.of("url", "username", "password");

  private final Map<String, StepKindValidator> kinds = new LinkedHashMap<>();

  /** @param kinds the step kinds this operator runs (its step handlers), each checking its own spec */
  public SpecValidator(List<? extends StepKindValidator> kinds) {
    kinds.forEach(kind -> this.kinds.put(kind.field(), kind));
  }

  public List<String> validate(SchemaMigration migration, ValidationFacts facts) {
    List<String> problems = new ArrayList<>();
    SchemaMigrationSpec spec = migration.getSpec();
    String name = migration.getMetadata().getName();
    if (name != null && name.length() > MAX_NAME_LENGTH) {
      problems.add("metadata.name is " + name.length() + " characters long; use at most "
          + MAX_NAME_LENGTH + ", because it labels the migration's Jobs");
    }
    if (spec == null) {
      problems.add("spec is missing");
      return problems;
    }
    checkDatabase(spec, facts, problems);
    checkScripts(spec, facts, problems);
    checkSteps(spec, facts, problems);
    checkOptionalSections(spec, problems);
    checkFlags(migration, facts, problems);
    return problems;
  }

  private static void checkDatabase(SchemaMigrationSpec spec, ValidationFacts facts, List<String> problems) {
    if (spec.getDatabase() == null || blank(spec.getDatabase().getName())) {
      problems.add("spec.database.name is missing; name the database this migration changes");
      return;
    }
    if (spec.getDatabase().getSecretRef() == null || blank(spec.getDatabase().getSecretRef().getName())) {
      problems.add("spec.database.secretRef.name is missing; name the Secret that holds url, username and password");
      return;
    }
    String secret = spec.getDatabase().getSecretRef().getName();
    if (facts.secretKeys() == null) {
      problems.add("Secret " + secret + " (spec.database.secretRef) does not exist; create it with the keys "
          + String.join(", ", SECRET_KEYS));
      return;
    }
    List<String> missing = SECRET_KEYS.stream().filter(k -> !facts.secretKeys().contains(k)).toList();
    if (!missing.isEmpty()) {
      problems.add("Secret " + secret + " (spec.database.secretRef) has no key " + String.join(", ", missing)
          + "; it needs url (a JDBC URL), username and password");
    } else if (facts.urlScheme() != null && !facts.urlScheme().equals("jdbc:postgresql:")) {
      // Only the scheme is named: the rest of a URL may hold a user name and password.
      problems.add("Secret " + secret + " (spec.database.secretRef) key url is not a PostgreSQL JDBC URL ("
          + (facts.urlScheme().isEmpty() ? "it has no scheme" : "it starts with " + facts.urlScheme())
          + "); write it as jdbc:postgresql://host:5432/database");
    }
  }

  private static void checkScripts(SchemaMigrationSpec spec, ValidationFacts facts, List<String> problems) {
    ScriptsSource scripts = spec.getScripts();
    boolean configMap = scripts != null && scripts.getConfigMapRef() != null;
    boolean image = scripts != null && scripts.getImage() != null;
    if (configMap == image) {
      problems.add("spec.scripts needs exactly one of configMapRef and image");
      return;
    }
    if (image && blank(scripts.getImage().getName())) {
      problems.add("spec.scripts.image.name is missing; name the image that holds the scripts");
    }
    if (configMap) {
      String name = scripts.getConfigMapRef().getName();
      if (facts.scripts() == null) {
        problems.add("ConfigMap " + name + " (spec.scripts.configMapRef) does not exist; create it with one key"
            + " per script, such as V2__add_column.sql");
        return;
      }
      checkInventory(facts.scripts(), "ConfigMap " + name, "spec.scripts.configMapRef", problems);
    } else if (facts.scripts() != null && facts.scripts() != ValidationFacts.SCRIPTS_IN_IMAGE) {
      // The inspection Job read the image: the same checks as for a ConfigMap.
      checkInventory(facts.scripts(), "image " + scripts.getImage().getName() + " (" + scripts.getImage().getPath()
          + ")", "spec.scripts.image", problems);
    }
  }

  private static void checkInventory(ScriptInventory inventory, String source, String field, List<String> problems) {
    for (String problem : inventory.problems()) {
      problems.add(source + ": " + problem);
    }
    if (inventory.versions().isEmpty()) {
      problems.add(source + " (" + field + ") holds no V<version>__<name>.sql script");
    }
  }

  /**
   * The points of no return the steps' kinds can tell at validation, one sentence each: a step that
   * rollback will not be able to undo.
   */
  public List<String> pointsOfNoReturn(SchemaMigration migration, ValidationFacts facts) {
    List<Step> steps = migration.getSpec() == null ? null : migration.getSpec().getSteps();
    if (steps == null) {
      return List.of();
    }
    ScriptInventory scripts = facts.scripts() == ValidationFacts.SCRIPTS_IN_IMAGE ? null : facts.scripts();
    List<String> noReturn = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      Set<String> fields = step.kindFields().keySet();
      StepKindValidator kind = fields.size() == 1 ? kinds.get(fields.iterator().next()) : null;
      String why = kind == null ? null : kind.pointOfNoReturn(new StepValidation(step, "step " + step.getName(),
          migration.getSpec(), List.copyOf(steps.subList(0, i)), scripts));
      if (why != null) {
        noReturn.add("step " + step.getName() + " is a point of no return: " + why);
      }
    }
    return noReturn;
  }

  private void checkSteps(SchemaMigrationSpec spec, ValidationFacts facts, List<String> problems) {
    List<Step> steps = spec.getSteps();
    if (steps == null || steps.isEmpty()) {
      problems.add("spec.steps is empty; a migration needs at least one step");
      return;
    }
    ScriptInventory scripts = facts.scripts() == ValidationFacts.SCRIPTS_IN_IMAGE ? null : facts.scripts();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String where = blank(step.getName()) ? "spec.steps[" + i + "]" : "step " + step.getName();
      if (blank(step.getName())) {
        problems.add(where + " has no name");
      } else if (!step.getName().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || step.getName().length() > 30) {
        problems.add(where + ": the name must be lower-case letters, digits and '-', at most 30 characters");
      } else if (!names.add(step.getName())) {
        problems.add(where + " appears twice; step names must be unique");
      }
      Set<String> fields = step.kindFields().keySet();
      StepKindValidator kind = fields.size() == 1 ? kinds.get(fields.iterator().next()) : null;
      if (kind == null) {
        problems.add(where + kindProblem(fields));
        continue;
      }
      StepValidation.checkTimeout(step.getTimeout(), where + ": timeout", problems);
      kind.validate(new StepValidation(step, where, spec, List.copyOf(steps.subList(0, i)), scripts), problems);
    }
  }

  /** Why a step's kind fields select no kind this operator runs. */
  private String kindProblem(Set<String> fields) {
    String known = String.join(", ", kinds.keySet());
    if (fields.isEmpty()) {
      return " must set exactly one of " + known;
    }
    if (fields.size() > 1) {
      return " sets " + String.join(" and ", fields) + "; a step sets exactly one of " + known;
    }
    return " sets " + fields.iterator().next() + ", which is not a step kind this operator runs; use one of "
        + known + ", or upgrade the operator";
  }

  private void checkOptionalSections(SchemaMigrationSpec spec, List<String> problems) {
    if (spec.getWorkloads() != null) {
      for (int i = 0; i < spec.getWorkloads().size(); i++) {
        Workload workload = spec.getWorkloads().get(i);
        if (workload.getKind() == null || blank(workload.getName())) {
          problems.add("spec.workloads[" + i + "] needs kind (Deployment or StatefulSet) and name");
        }
        if (workload.getCompatibility() != null) {
          var compat = workload.getCompatibility();
          if ((compat.getHttp() == null) == (compat.getAnnotation() == null)) {
            problems.add("spec.workloads[" + i + "].compatibility needs exactly one of http and annotation");
          } else if (compat.getHttp() != null && (compat.getHttp().getPort() == null
              || compat.getHttp().getPort() < 1 || compat.getHttp().getPort() > 65535)) {
            problems.add("spec.workloads[" + i + "].compatibility.http.port must be a port number (1-65535)");
          }
        }
      }
    }
    if (spec.getGuards() != null
        && (spec.getGuards().getPodsReady() != null || spec.getGuards().getPrometheus() != null)) {
      if (Boolean.TRUE.equals(spec.getGuards().getPodsReady())
          && (spec.getWorkloads() == null || spec.getWorkloads().isEmpty())) {
        problems.add("spec.guards.podsReady needs spec.workloads; list the Deployments and StatefulSets to guard");
      }
      if (spec.getGuards().getPrometheus() != null) {
        checkPrometheus(spec.getGuards().getPrometheus(), "spec.guards.prometheus", problems);
      }
    }
    if (spec.getTimeouts() != null) {
      StepValidation.checkTimeout(spec.getTimeouts().getStep(), "spec.timeouts.step", problems);
    }
  }

  private void checkFlags(SchemaMigration migration, ValidationFacts facts, List<String> problems) {
    SchemaMigrationSpec spec = migration.getSpec();
    boolean flagSteps = spec.getSteps() != null && spec.getSteps().stream().anyMatch(s -> s.getFlags() != null);
    if (!flagSteps && spec.getFlagSource() == null) {
      return;
    }
    if (facts.flagSourceProblem() != null) {
      problems.add(facts.flagSourceProblem());
      return;
    }
    var recorded = migration.getStatus() == null ? null : migration.getStatus().getFlags();
    problems.addAll(FlagValidation.validate(spec.getSteps(), spec.getFlagSource(), facts.flags(), recorded));
  }
}
