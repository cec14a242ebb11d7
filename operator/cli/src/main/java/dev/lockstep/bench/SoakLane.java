package dev.lockstep.bench;

import static dev.lockstep.bench.SoakBenchmark.NAMESPACE;

import dev.lockstep.api.ConfigMapRef;
import dev.lockstep.api.DatabaseRef;
import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagConfigMapRef;
import dev.lockstep.api.FlagSource;
import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.Guards;
import dev.lockstep.api.MigrateStep;
import dev.lockstep.api.Phase;
import dev.lockstep.api.PrometheusCheck;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.api.ScriptsSource;
import dev.lockstep.api.SecretRef;
import dev.lockstep.api.Step;
import dev.lockstep.api.WaitStep;
import dev.lockstep.world.database.EmbeddedDatabase;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One database of the soak and the migrations that go through it, one after another: migration k
 * migrates to version 2k+1 ({@code expand}), flips the database's flag ({@code flip}), watches for
 * {@link #WATCH} ({@code watch}, the window in which the soak breaches the guard), migrates to 2k+2
 * ({@code contract}). Every migration has a Prometheus guard on its database's error ratio.
 */
final class SoakLane {

  static final String FLAGS_KEY = "flags.flagd.json";
  /** The step in which a guard breach is injected: the flag is flipped and no Job runs. */
  static final String WATCH_STEP = "watch";
  static final String WATCH = "6s";
  private static final int READ_ATTEMPTS = 10;

  final String database;
  private final EmbeddedDatabase postgres;
  private final PrometheusCheck guard;
  int started;
  String current;

  SoakLane(String database, EmbeddedDatabase postgres, PrometheusCheck guard) {
    this.database = database;
    this.postgres = postgres;
    this.guard = guard;
  }

  String flag() {
    return database + "-dual-write";
  }

  String migrationName(int k) {
    return database + "-m" + k;
  }

  SchemaMigration get(KubernetesClient user, int k) {
    return read(user, migrationName(k));
  }

  /**
   * A migration as the API server has it now. The soak's own reads are tried again when they fail:
   * on a loaded machine a GET can time out, and the soak's looking is not what is under test (no fault
   * is injected into GETs).
   */
  static SchemaMigration read(KubernetesClient user, String name) {
    for (int attempt = 1; ; attempt++) {
      try {
        return user.resources(SchemaMigration.class).inNamespace(NAMESPACE).withName(name).get();
      } catch (KubernetesClientException e) {
        if (attempt == READ_ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  void prepare(KubernetesClient user) {
    user.resource(postgres.database(database).toSecret(NAMESPACE, database)).create();
    String flags = "{\"flags\": {\"" + flag() + "\": {\"state\": \"ENABLED\","
        + " \"variants\": {\"on\": true, \"off\": false}, \"defaultVariant\": \"off\"}}}";
    user.resource(new ConfigMapBuilder().withNewMetadata().withName("flags-" + database).withNamespace(NAMESPACE)
        .endMetadata().addToData(FLAGS_KEY, flags).build()).create();
  }

  /** The migration running now, or {@code null} when there is none. */
  SchemaMigration currentMigration(KubernetesClient user) {
    return current == null ? null : get(user, started - 1);
  }

  /** No migration of this database, or its last one ended. */
  boolean idle(KubernetesClient user) {
    if (current == null) {
      return true;
    }
    SchemaMigration m = currentMigration(user);
    return m != null && m.getStatus() != null && m.getStatus().getPhase() != null
        && m.getStatus().getPhase().isTerminal();
  }

  void next(KubernetesClient user, boolean failing) {
    int k = started;
    String name = migrationName(k);
    int expand = 2 * k + 1;
    int contract = 2 * k + 2;
    Map<String, String> scripts = new TreeMap<>();
    for (int v = 1; v <= contract; v++) {
      scripts.put("V" + v + "__t" + v + ".sql", "CREATE TABLE t" + v + " (id bigint PRIMARY KEY);\n");
      scripts.put("U" + v + "__t" + v + ".sql", "DROP TABLE t" + v + ";\n");
    }
    if (failing) {
      scripts.put("V" + contract + "__t" + contract + ".sql",
          "CREATE TABLE t" + contract + " (id bigint PRIMARY KEY);\nSELECT * FROM no_such_table;\n");
    }
    user.resource(new ConfigMapBuilder().withNewMetadata().withName(name + "-scripts").withNamespace(NAMESPACE)
        .endMetadata().withData(scripts).build()).create();
    user.resource(migration(name, k % 2 == 0 ? "on" : "off", expand, contract)).create();
    current = name;
    started++;
  }

  private SchemaMigration migration(String name, String variant, int expand, int contract) {
    SchemaMigration m = new SchemaMigration();
    m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    SchemaMigrationSpec spec = new SchemaMigrationSpec();
    DatabaseRef db = new DatabaseRef();
    db.setName(database);
    SecretRef secret = new SecretRef();
    secret.setName(database);
    db.setSecretRef(secret);
    spec.setDatabase(db);
    ScriptsSource scripts = new ScriptsSource();
    ConfigMapRef configMap = new ConfigMapRef();
    configMap.setName(name + "-scripts");
    scripts.setConfigMapRef(configMap);
    spec.setScripts(scripts);
    FlagSource source = new FlagSource();
    FlagConfigMapRef flags = new FlagConfigMapRef();
    flags.setName("flags-" + database);
    source.setConfigMap(flags);
    spec.setFlagSource(source);
    Step flip = new Step();
    flip.setName("flip");
    FlagChange change = new FlagChange();
    change.setFlag(flag());
    change.setVariant(variant);
    flip.setFlags(List.of(change));
    Step watch = new Step();
    watch.setName(WATCH_STEP);
    WaitStep wait = new WaitStep();
    wait.setDuration(WATCH);
    watch.setWaitFor(wait);
    spec.setSteps(new ArrayList<>(List.of(migrate("expand", expand), flip, watch, migrate("contract", contract))));
    Guards guards = new Guards();
    guards.setPrometheus(guard);
    spec.setGuards(guards);
    m.setSpec(spec);
    return m;
  }

  private static Step migrate(String name, int to) {
    Step step = new Step();
    step.setName(name);
    MigrateStep migrate = new MigrateStep();
    migrate.setTo(String.valueOf(to));
    step.setMigrate(migrate);
    return step;
  }

  void check(KubernetesClient user, List<String> violations, Map<String, Integer> phases) throws SQLException {
    SchemaMigration last = null;
    for (int k = 0; k < started; k++) {
      SchemaMigration m = get(user, k);
      Phase phase = m == null || m.getStatus() == null ? null : m.getStatus().getPhase();
      phases.merge(String.valueOf(phase), 1, Integer::sum);
      if (phase == null || !phase.isTerminal()) {
        violations.add(migrationName(k) + " did not end: phase " + phase);
      }
      last = m;
    }
    if (last == null || last.getStatus() == null) {
      return;
    }
    String name = last.getMetadata().getName();
    TreeSet<Integer> applied = new TreeSet<>();
    TreeSet<Integer> tables = new TreeSet<>();
    try (Connection c = postgres.superuserDataSource(database).getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
        rs.next();
        if (rs.getBoolean(1)) {
          try (ResultSet h = s.executeQuery(
              "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            while (h.next()) {
              applied.add(Integer.parseInt(h.getString(1)));
            }
          }
        }
      }
      try (ResultSet t = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
          + " AND tablename ~ '^t[0-9]+$'")) {
        while (t.next()) {
          tables.add(Integer.parseInt(t.getString(1).substring(1)));
        }
      }
    }
    String recorded = last.getStatus().getSchemaVersion();
    String actual = applied.isEmpty() ? null : String.valueOf(applied.last());
    if (!String.valueOf(recorded).equals(String.valueOf(actual))) {
      violations.add(database + ": schema at version " + actual + ", but " + name + " says " + recorded);
    }
    if (!tables.equals(applied)) {
      violations.add(database + ": tables t" + tables + " do not match the versions applied " + applied);
    }
    // The flag is what the last migration that touched it left: its variant if it succeeded, the
    // variant from before it if it rolled back (either, if it stopped in Failed).
    String text = user.configMaps().inNamespace(NAMESPACE).withName("flags-" + database).get()
        .getData().get(FLAGS_KEY).replace(" ", "");
    String stored = text.contains("\"defaultVariant\":\"on\"") ? "on" : "off";
    List<String> allowed = List.of("off");
    String by = "no migration";
    for (int k = started - 1; k >= 0; k--) {
      SchemaMigration m = get(user, k);
      FlagStatus flag = flagStatus(m);
      if (flag != null) {
        Phase phase = m.getStatus().getPhase();
        by = m.getMetadata().getName() + " (" + phase + ")";
        allowed = phase == Phase.Succeeded ? List.of(String.valueOf(flag.getVariant()))
            : phase == Phase.RolledBack ? List.of(String.valueOf(flag.getPrevious()))
            : Stream.of(flag.getVariant(), flag.getPrevious()).map(String::valueOf).toList();
        break;
      }
    }
    if (!allowed.contains(stored)) {
      violations.add(database + ": flag " + flag() + " is " + stored + ", but " + by + " says " + allowed);
    }
  }

  /** What {@code m}'s status says of this lane's flag, or {@code null} when it never touched it. */
  FlagStatus flagStatus(SchemaMigration m) {
    return m == null || m.getStatus() == null || m.getStatus().getFlags() == null ? null
        : m.getStatus().getFlags().get(flag());
  }
}
