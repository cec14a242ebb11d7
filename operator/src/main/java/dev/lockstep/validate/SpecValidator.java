package dev.lockstep.validate;

import dev.lockstep.scripts.ScriptInventory;

import dev.lockstep.api.Approval;
import dev.lockstep.api.BackfillStep;
import dev.lockstep.api.BackfillThrottle;
import dev.lockstep.api.Durations;
import dev.lockstep.api.PrometheusCheck;
import dev.lockstep.api.RollbackPolicy;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.api.ScriptsSource;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepKind;
import dev.lockstep.api.ThrottlePrometheus;
import dev.lockstep.api.WaitStep;
import dev.lockstep.flags.FlagValidation;
import dev.lockstep.runner.backfill.SqlFragment;
import dev.lockstep.api.Workload;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
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

  private final Set<Feature> supported;

  public SpecValidator(Set<Feature> supported) {
    this.supported = supported.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(supported);
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
      for (String problem : facts.scripts().problems()) {
        problems.add("ConfigMap " + name + ": " + problem);
      }
      if (facts.scripts().versions().isEmpty()) {
        problems.add("ConfigMap " + name + " (spec.scripts.configMapRef) holds no V<version>__<name>.sql script");
      }
    }
  }

  private void checkSteps(SchemaMigrationSpec spec, ValidationFacts facts, List<String> problems) {
    List<Step> steps = spec.getSteps();
    if (steps == null || steps.isEmpty()) {
      problems.add("spec.steps is empty; a migration needs at least one step");
      return;
    }
    Set<String> names = new HashSet<>();
    String previousTarget = null;
    String previousStep = null;
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
      StepKind kind = step.kind();
      if (kind == null) {
        problems.add(where + " must set exactly one of migrate, backfill, flags and wait");
        continue;
      }
      require(featureOf(kind), where + " is a " + kind.field() + " step", problems);
      if (step.getApproval() == Approval.REQUIRED) {
        require(Feature.APPROVALS, where + " sets approval: required", problems);
      }
      checkDuration(step.getTimeout(), where + ": timeout", problems);
      if (kind == StepKind.MIGRATE) {
        String to = step.getMigrate().getTo();
        if (!ScriptInventory.isVersion(to)) {
          problems.add(where + ": migrate.to is \"" + to + "\", which is not a Flyway version such as 2 or 2.1");
          continue;
        }
        ScriptInventory inventory = facts.scripts();
        if (inventory != null && inventory != ValidationFacts.SCRIPTS_IN_IMAGE && !inventory.versions().isEmpty()
            && !inventory.hasVersion(to)) {
          problems.add(where + ": migrate.to " + to + " has no script V" + to + "__*.sql; the scripts have versions "
              + String.join(", ", inventory.versions()));
        }
        if (previousTarget != null && ScriptInventory.compare(to, previousTarget) <= 0) {
          problems.add(where + ": migrate.to " + to + " does not move forward from " + previousTarget
              + " (step " + previousStep + "); versions only move forward");
        }
        previousTarget = to;
        previousStep = step.getName();
        checkDuration(step.getMigrate().getLockTimeout(), where + ": migrate.lockTimeout", problems);
        checkDuration(step.getMigrate().getStatementTimeout(), where + ": migrate.statementTimeout", problems);
      }
      if (kind == StepKind.WAIT) {
        checkWait(step.getWaitFor(), where, spec, problems);
      }
      if (kind == StepKind.BACKFILL) {
        checkBackfill(step.getBackfill(), where, problems);
      }
    }
  }

  private void checkWait(WaitStep wait, String where, SchemaMigrationSpec spec, List<String> problems) {
    boolean any = wait.getPodsReady() != null || wait.getCompatible() != null || wait.getDuration() != null
        || wait.getPrometheus() != null;
    if (!any) {
      problems.add(where + ": a wait step needs at least one of podsReady, compatible, duration and prometheus");
    }
    checkDuration(wait.getDuration(), where + ": wait.duration", problems);
    if (Boolean.TRUE.equals(wait.getPodsReady()) && (spec.getWorkloads() == null || spec.getWorkloads().isEmpty())) {
      problems.add(where + ": wait.podsReady needs spec.workloads; list the Deployments and StatefulSets to wait for");
    }
    if (wait.getCompatible() != null) {
      require(Feature.WAIT_COMPATIBLE, where + " uses wait.compatible", problems);
      if (!ScriptInventory.isVersion(wait.getCompatible())) {
        problems.add(where + ": wait.compatible is \"" + wait.getCompatible() + "\", which is not a Flyway version"
            + " such as 2 or 2.1");
      }
      boolean declared = spec.getWorkloads() != null
          && spec.getWorkloads().stream().anyMatch(w -> w.getCompatibility() != null);
      if (!declared) {
        problems.add(where + ": wait.compatible needs a workload in spec.workloads that declares compatibility");
      }
    }
    if (wait.getPrometheus() != null) {
      require(Feature.WAIT_PROMETHEUS, where + " uses wait.prometheus", problems);
      checkPrometheus(wait.getPrometheus(), where + ": wait.prometheus", problems);
    }
  }

  private static void checkBackfill(BackfillStep backfill, String where, List<String> problems) {
    if (blank(backfill.getTable())) {
      problems.add(where + ": backfill.table is missing; name the table to change");
    }
    if (blank(backfill.getSet())) {
      problems.add(where + ": backfill.set is missing; give the assignments, such as currency = 'EUR'");
    }
    if (blank(backfill.getWhere())) {
      problems.add(where + ": backfill.where is missing; give the condition of the rows still to change, such as"
          + " currency IS NULL");
    }
    if (backfill.getBatchSize() != null && backfill.getBatchSize() < 1) {
      problems.add(where + ": backfill.batchSize is " + backfill.getBatchSize() + "; use at least 1");
    }
    checkDuration(backfill.getPause(), where + ": backfill.pause", problems);
    checkBatchSizing(backfill, where, problems);
    if (backfill.getThrottle() != null) {
      checkThrottle(backfill.getThrottle(), where + ": backfill.throttle", problems);
    }
    if (backfill.getUndo() != null && (blank(backfill.getUndo().getSet()) || blank(backfill.getUndo().getWhere()))) {
      problems.add(where + ": backfill.undo needs both set and where");
    }
  }

  /** The same rules as the runner's, so that a Job never starts only to refuse its arguments. */
  private static void checkBatchSizing(BackfillStep backfill, String where, List<String> problems) {
    checkDuration(backfill.getBatchTime(), where + ": backfill.batchTime", problems);
    Integer min = backfill.getMinBatchSize();
    Integer max = backfill.getMaxBatchSize();
    if (min != null && min < 1) {
      problems.add(where + ": backfill.minBatchSize is " + min + "; use at least 1");
    }
    if (max != null && max < 1) {
      problems.add(where + ": backfill.maxBatchSize is " + max + "; use at least 1");
    }
    if (min != null && max != null && min > max) {
      problems.add(where + ": backfill.minBatchSize " + min + " is above backfill.maxBatchSize " + max
          + "; give a minimum no larger than the maximum");
    }
    boolean fixed;
    try {
      fixed = backfill.getBatchTime() != null && Durations.parse(backfill.getBatchTime(), "batchTime").isZero();
    } catch (IllegalArgumentException e) {
      fixed = false; // reported above
    }
    Integer first = backfill.getBatchSize();
    if (!fixed && first != null && first >= 1
        && ((min != null && first < min) || (max != null && first > max))) {
      problems.add(where + ": backfill.batchSize " + first + " is outside minBatchSize and maxBatchSize ("
          + (min == null ? "-" : min) + " to " + (max == null ? "-" : max) + "); the first batch is sized within them too");
    }
  }

  private static void checkThrottle(BackfillThrottle throttle, String where, List<String> problems) {
    boolean bySql = throttle.getSql() != null;
    boolean byPrometheus = throttle.getPrometheus() != null;
    if (bySql == byPrometheus) {
      problems.add(where + " must set exactly one of prometheus and sql");
    }
    if (bySql && blank(throttle.getSql())) {
      problems.add(where + ".sql is empty; give a query that returns one number, such as"
          + " SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication");
    }
    if (bySql && !blank(throttle.getSql())) {
      String problem = SqlFragment.problem(throttle.getSql());
      if (problem != null) {
        problems.add(where + ".sql " + problem);
      }
    }
    if (byPrometheus) {
      ThrottlePrometheus prometheus = throttle.getPrometheus();
      if (blank(prometheus.getUrl()) || !prometheus.getUrl().matches("https?://.+")) {
        problems.add(where + ".prometheus.url must be the http(s) URL of the Prometheus server");
      }
      if (blank(prometheus.getQuery())) {
        problems.add(where + ".prometheus.query is missing; give a PromQL query that returns one value");
      }
    }
    if (throttle.getMax() == null) {
      problems.add(where + ".max is missing; give the highest value at which batches may run");
    } else if (!Double.isFinite(throttle.getMax())) {
      problems.add(where + ".max must be a finite number");
    }
    checkDuration(throttle.getInterval(), where + ".interval", problems);
    if (throttle.getInterval() != null) {
      try {
        if (Durations.parse(throttle.getInterval(), "interval").isZero()) {
          problems.add(where + ".interval must be more than 0, such as 1s");
        }
      } catch (IllegalArgumentException e) {
        // reported by checkDuration
      }
    }
  }

  private void checkOptionalSections(SchemaMigrationSpec spec, List<String> problems) {
    if (spec.getWorkloads() != null) {
      for (int i = 0; i < spec.getWorkloads().size(); i++) {
        Workload workload = spec.getWorkloads().get(i);
        if (workload.getKind() == null || blank(workload.getName())) {
          problems.add("spec.workloads[" + i + "] needs kind (Deployment or StatefulSet) and name");
        }
        if (workload.getCompatibility() != null) {
          require(Feature.COMPATIBILITY_GATES, "spec.workloads[" + i + "] declares compatibility", problems);
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
    if (spec.getFlagSource() != null) {
      require(Feature.FLAG_STEPS, "spec.flagSource is set", problems);
    }
    if (spec.getDependsOn() != null && !spec.getDependsOn().isEmpty()) {
      require(Feature.DEPENDS_ON, "spec.dependsOn is set", problems);
    }
    if (spec.getGuards() != null
        && (spec.getGuards().getPodsReady() != null || spec.getGuards().getPrometheus() != null)) {
      require(Feature.GUARDS, "spec.guards is set", problems);
      if (Boolean.TRUE.equals(spec.getGuards().getPodsReady())
          && (spec.getWorkloads() == null || spec.getWorkloads().isEmpty())) {
        problems.add("spec.guards.podsReady needs spec.workloads; list the Deployments and StatefulSets to guard");
      }
      if (spec.getGuards().getPrometheus() != null) {
        checkPrometheus(spec.getGuards().getPrometheus(), "spec.guards.prometheus", problems);
      }
    }
    if (spec.getRollback() != null && spec.getRollback().getPolicy() == RollbackPolicy.Manual) {
      require(Feature.MANUAL_ROLLBACK_POLICY, "spec.rollback.policy is Manual", problems);
    }
    if (spec.getTimeouts() != null) {
      checkDuration(spec.getTimeouts().getStep(), "spec.timeouts.step", problems);
    }
  }

  private void checkFlags(SchemaMigration migration, ValidationFacts facts, List<String> problems) {
    SchemaMigrationSpec spec = migration.getSpec();
    boolean flagSteps = spec.getSteps() != null && spec.getSteps().stream().anyMatch(s -> s.getFlags() != null);
    if (!supported.contains(Feature.FLAG_STEPS) || (!flagSteps && spec.getFlagSource() == null)) {
      return;
    }
    if (facts.flagSourceProblem() != null) {
      problems.add(facts.flagSourceProblem());
      return;
    }
    var recorded = migration.getStatus() == null ? null : migration.getStatus().getFlags();
    problems.addAll(FlagValidation.validate(spec.getSteps(), spec.getFlagSource(), facts.flags(), recorded));
  }

  private static void checkPrometheus(PrometheusCheck check, String where, List<String> problems) {
    if (blank(check.getUrl()) || !check.getUrl().matches("https?://.+")) {
      problems.add(where + ".url must be the http(s) URL of the Prometheus server");
    }
    if (blank(check.getQuery())) {
      problems.add(where + ".query is missing; give a PromQL query that returns one value");
    }
    if (check.getMax() == null && check.getMin() == null) {
      problems.add(where + " needs max, min or both");
    }
    checkDuration(check.getForDuration(), where + ".for", problems);
  }

  private void require(Feature feature, String usage, List<String> problems) {
    if (!supported.contains(feature)) {
      problems.add(usage + ", but " + feature.field() + " is not implemented in this version of Lockstep;"
          + " remove it or upgrade the operator");
    }
  }

  private static Feature featureOf(StepKind kind) {
    switch (kind) {
      case MIGRATE:
        return Feature.MIGRATE_STEPS;
      case WAIT:
        return Feature.WAIT_STEPS;
      case BACKFILL:
        return Feature.BACKFILL_STEPS;
      default:
        return Feature.FLAG_STEPS;
    }
  }

  private static void checkDuration(String value, String field, List<String> problems) {
    if (value == null) {
      return;
    }
    try {
      Durations.parse(value, field);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
