package dev.lockstep.reconcile;

import dev.lockstep.api.Approval;
import dev.lockstep.api.BackfillStep;
import dev.lockstep.api.BackfillUndo;
import dev.lockstep.api.ConfigMapRef;
import dev.lockstep.api.DatabaseRef;
import dev.lockstep.api.MigrateStep;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.api.ScriptsSource;
import dev.lockstep.api.SecretRef;
import dev.lockstep.api.Step;
import dev.lockstep.api.WaitStep;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** Builds SchemaMigrations for tests, in the shape users write them. */
public final class Migrations {

  private Migrations() {}

  public static SchemaMigration migration(Step... steps) {
    SchemaMigration m = new SchemaMigration();
    m.setMetadata(new ObjectMetaBuilder()
        .withName("orders-currency").withNamespace("shop").withUid("uid-1").withGeneration(1L)
        .withAnnotations(new HashMap<>()).build());
    SchemaMigrationSpec spec = new SchemaMigrationSpec();
    DatabaseRef db = new DatabaseRef();
    db.setName("orders");
    SecretRef secret = new SecretRef();
    secret.setName("orders-db");
    db.setSecretRef(secret);
    spec.setDatabase(db);
    ScriptsSource scripts = new ScriptsSource();
    ConfigMapRef cm = new ConfigMapRef();
    cm.setName("orders-migrations");
    scripts.setConfigMapRef(cm);
    spec.setScripts(scripts);
    spec.setSteps(new ArrayList<>(List.of(steps)));
    m.setSpec(spec);
    return m;
  }

  public static Step migrate(String name, String to) {
    Step step = new Step();
    step.setName(name);
    MigrateStep migrate = new MigrateStep();
    migrate.setTo(to);
    step.setMigrate(migrate);
    return step;
  }

  public static Step soak(String name, String duration) {
    Step step = new Step();
    step.setName(name);
    WaitStep wait = new WaitStep();
    wait.setDuration(duration);
    step.setWaitFor(wait);
    return step;
  }

  /** A backfill of {@code orders}; {@code undoSet} {@code null} means it declares no undo. */
  public static Step backfill(String name, String undoSet) {
    Step step = new Step();
    step.setName(name);
    BackfillStep backfill = new BackfillStep();
    backfill.setTable("orders");
    backfill.setSet("total_cents = (total * 100)::bigint");
    backfill.setWhere("total_cents IS NULL");
    if (undoSet != null) {
      BackfillUndo undo = new BackfillUndo();
      undo.setSet(undoSet);
      undo.setWhere("total_cents IS NOT NULL");
      backfill.setUndo(undo);
    }
    step.setBackfill(backfill);
    return step;
  }

  public static Step approved(Step step) {
    step.setApproval(Approval.REQUIRED);
    return step;
  }
}
