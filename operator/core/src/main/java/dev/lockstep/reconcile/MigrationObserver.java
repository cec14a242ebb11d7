package dev.lockstep.reconcile;

import dev.lockstep.api.Phase;
import dev.lockstep.api.RepairStatus;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.flags.FlagException;
import dev.lockstep.flags.FlagSet;
import dev.lockstep.flags.FlagStores;
import dev.lockstep.gates.GuardChecks;
import dev.lockstep.jobs.ActiveJobs;
import dev.lockstep.lint.RiskAssessment;
import dev.lockstep.queue.DatabaseLeases;
import dev.lockstep.queue.QueueObserver;
import dev.lockstep.scripts.Inspection;
import dev.lockstep.scripts.ScriptCatalog;
import dev.lockstep.scripts.ScriptsInspector;
import dev.lockstep.scripts.ScriptInventory;
import dev.lockstep.steps.StepContext;
import dev.lockstep.steps.StepHandlers;
import dev.lockstep.validate.SpecValidator;
import dev.lockstep.validate.ValidationFacts;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Gathers what the decision needs to know: the only part of a reconcile that reads the world. */
public final class MigrationObserver {

  private final KubernetesClient client;
  private final ScriptCatalog scripts;
  private final SpecValidator validator;
  private final StepHandlers handlers;
  private final QueueObserver queue;
  private final DatabaseLeases leases;
  private final GuardChecks guards;
  private final ActiveJobs activeJobs;
  private final ScriptsInspector inspector;

  /**
   * @param client reads the Secret (one GET when validating: Secrets are never watched) and the flag source
   * @param queue where the migration stands in line for its database
   * @param leases the database leases (read from the informer's cache)
   * @param activeJobs which of the migration's Jobs have not ended (read from the informers' caches)
   * @param inspector where the inspection of a scripts image stands, while validation waits for it
   */
  public MigrationObserver(KubernetesClient client, ScriptCatalog scripts, SpecValidator validator,
      StepHandlers handlers, QueueObserver queue, DatabaseLeases leases, GuardChecks guards,
      ActiveJobs activeJobs, ScriptsInspector inspector) {
    this.client = client;
    this.scripts = scripts;
    this.validator = validator;
    this.handlers = handlers;
    this.leases = leases;
    this.guards = guards;
    this.queue = queue;
    this.activeJobs = activeJobs;
    this.inspector = inspector;
  }

  public Observation observe(SchemaMigration migration, Instant now) {
    SchemaMigrationStatus status = migration.getStatus();
    Phase phase = status == null ? null : status.getPhase();
    Observation observation = Observation.nothing();
    if (phase == Phase.Pending || phase == Phase.Queued) {
      QueueObserver.View view = queue.observe(migration, now);
      observation = observation.withQueue(view.position()).withLease(view.lease());
    } else if (holdsLease(phase) && migration.getSpec().getDatabase() != null
        && migration.getSpec().getDatabase().getName() != null) {
      observation = observation.withLease(
          leases.read(migration.getMetadata().getNamespace(), migration.getSpec().getDatabase().getName(), now));
    }
    if (holdsLease(phase)) {
      // Nothing starts, and the lease is not given back, while a Job of this migration still runs.
      observation = observation.withActiveJobs(
          activeJobs.of(migration.getMetadata().getNamespace(), migration.getMetadata().getName()));
    }
    if (phase == Phase.Progressing || phase == Phase.WaitingForApproval || phase == Phase.Paused) {
      observation = observation.withGuards(guards.check(migration, now));
    }
    Inspection inspection = phase == Phase.Validating ? inspectionAwaited(migration) : null;
    if (inspection != null) {
      // Scripts from an image are validated like a ConfigMap's, once their inspection is in status.
      observation = observation.withInspection(inspection);
    } else if (needsValidation(migration, phase) && observation.activeJobs().isEmpty()) {
      // Not while a Job of the migration runs: nothing new may start beside it (the decider's first
      // rule), so the Secret and scripts read, and the scripts linted, on every pod and Job event
      // of a running step, decided nothing. The reconcile after the Job ends validates again.
      ValidationFacts facts = facts(migration);
      List<String> problems = new ArrayList<>(validator.validate(migration, facts));
      // Scripts that validation refuses (two with one version, a name Flyway does not take) are not
      // assessed for risk: its plan would refuse them again, and the problem would be told twice.
      RiskAssessment risk = scriptsRefused(facts) ? null : assessRisk(migration);
      if (risk != null) {
        problems.addAll(risk.refusalMessages());
        observation = observation.withRisk(risk.toRiskReport());
      }
      observation = observation.withValidation(problems).withNoReturn(validator.pointsOfNoReturn(migration, facts));
    }
    if (status == null || status.getSteps() == null) {
      return observation;
    }
    RepairStatus repair = status.getRepair();
    if (repair != null && repair.getStartedAt() != null && repair.getAttempts() != null) {
      Step spec = spec(migration, repair.getStep());
      StepStatus step = status.getSteps().stream().filter(s -> s.getName().equals(repair.getStep())).findFirst()
          .orElse(null);
      if (spec != null && step != null) {
        observation = observation.withRepair(
            handlers.forStep(spec).observeRepair(new StepContext(migration, spec, step, now), repair.getAttempts()));
      }
    }
    for (StepStatus step : status.getSteps()) {
      if (step.getState() == StepState.Running || step.getState() == StepState.RollingBack) {
        Step spec = spec(migration, step.getName());
        if (spec != null) {
          StepContext context = new StepContext(migration, spec, step, now);
          observation = observation.withStep(handlers.forStep(spec).observe(context));
        }
        return observation;
      }
    }
    if (phase == Phase.RollingBack) {
      StepStatus next = RollbackOrder.nextToUndo(migration, status.getSteps(), handlers);
      Step spec = next == null ? null : spec(migration, next.getName());
      if (spec != null) {
        StepContext context = new StepContext(migration, spec, next, now);
        observation = observation.withIrreversible(handlers.forStep(spec).whyIrreversible(context));
      }
    }
    return observation;
  }

  /** The phases in which a migration holds its database's lease and must keep renewing it. */
  public static boolean holdsLease(Phase phase) {
    return phase != null && phase != Phase.Pending && phase != Phase.Queued && !phase.isTerminal();
  }

  /**
   * Validation runs before the first step and on every reconcile while steps may still start, so
   * that an edit — or a deleted Secret — stops new steps before they run.
   */
  private static boolean needsValidation(SchemaMigration migration, Phase phase) {
    if (phase == null) {
      return false;
    }
    switch (phase) {
      case Validating:
      case Progressing:
      case WaitingForApproval:
      case Paused:
        return true;
      case Succeeded:
      case Failed:
        Long generation = migration.getMetadata().getGeneration();
        Long observed = migration.getStatus().getObservedGeneration();
        return generation != null && !generation.equals(observed);
      default:
        return false;
    }
  }

  /**
   * The inspection of the migration's scripts image while none is recorded for the image the spec
   * names; {@code null} when the scripts come from a ConfigMap or the inspection is in status.
   */
  private Inspection inspectionAwaited(SchemaMigration migration) {
    if (!ScriptCatalog.inImage(migration) || migration.getSpec().getScripts().getImage().getName() == null
        || migration.getSpec().getScripts().getImage().getName().isBlank()
        || migration.getSpec().getScripts().getConfigMapRef() != null
        || ScriptCatalog.inspected(migration).isPresent()) {
      // A blank image name, or an image beside a ConfigMap, is a validation problem, reported as such
      // at once: no Job is started for a spec that cannot be valid.
      return null;
    }
    return inspector.state(migration);
  }

  /** Static risk analysis of the scripts, or {@code null} when they cannot be read (not inspected, missing). */
  private static boolean scriptsRefused(ValidationFacts facts) {
    return facts.scripts() != null && facts.scripts() != ValidationFacts.SCRIPTS_IN_IMAGE
        && !facts.scripts().problems().isEmpty();
  }

  private RiskAssessment assessRisk(SchemaMigration migration) {
    try {
      return scripts.risk(migration).orElse(null);
    } catch (ScriptCatalog.MissingScriptsException e) {
      return null; // validation reports the missing ConfigMap
    }
  }

  private ValidationFacts facts(SchemaMigration migration) {
    String namespace = migration.getMetadata().getNamespace();
    Set<String> secretKeys = null;
    String urlScheme = null;
    var database = migration.getSpec().getDatabase();
    if (database != null && database.getSecretRef() != null && database.getSecretRef().getName() != null) {
      Secret secret = client.secrets().inNamespace(namespace).withName(database.getSecretRef().getName()).get();
      if (secret != null) {
        secretKeys = new HashSet<>();
        if (secret.getData() != null) {
          secretKeys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
          secretKeys.addAll(secret.getStringData().keySet());
        }
        urlScheme = urlScheme(secret);
      }
    }
    ScriptInventory inventory;
    try {
      inventory = scripts.scripts(migration).orElse(ValidationFacts.SCRIPTS_IN_IMAGE);
    } catch (ScriptCatalog.MissingScriptsException e) {
      inventory = null;
    }
    FlagSet flags = null;
    String flagSourceProblem = null;
    if (migration.getSpec().getFlagSource() != null) {
      try {
        flags = FlagStores.forSource(client, namespace, migration.getSpec().getFlagSource()).read();
      } catch (FlagException e) {
        flagSourceProblem = e.getMessage();
      }
    }
    return new ValidationFacts(secretKeys, inventory, flags, flagSourceProblem, urlScheme);
  }

  /** The scheme of the Secret's url (never the rest, which may carry credentials), or null without one. */
  private static String urlScheme(Secret secret) {
    String url = secret.getStringData() == null ? null : secret.getStringData().get("url");
    if (url == null && secret.getData() != null && secret.getData().get("url") != null) {
      try {
        url = new String(java.util.Base64.getDecoder().decode(secret.getData().get("url").strip()),
            java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return ""; // not base64: certainly no JDBC URL
      }
    }
    return url == null ? null : ValidationFacts.schemeOf(url);
  }

  private static Step spec(SchemaMigration migration, String name) {
    List<Step> steps = migration.getSpec().getSteps();
    return steps.stream().filter(s -> name.equals(s.getName())).findFirst().orElse(null);
  }
}
