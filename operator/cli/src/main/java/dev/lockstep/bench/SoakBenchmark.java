package dev.lockstep.bench;

import static dev.lockstep.world.cluster.LocalCluster.RUNNER_IMAGE;

import dev.lockstep.api.ConfigMapRef;
import dev.lockstep.api.DatabaseRef;
import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagConfigMapRef;
import dev.lockstep.api.FlagSource;
import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.MigrateStep;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.api.ScriptsSource;
import dev.lockstep.api.SecretRef;
import dev.lockstep.api.Step;
import dev.lockstep.command.LockstepCommand;
import dev.lockstep.world.ApiFaults;
import dev.lockstep.world.cluster.LocalCluster;
import dev.lockstep.world.database.EmbeddedDatabase;
import dev.lockstep.world.kubelet.ImageCatalog;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code lockstep bench soak}: many migrations over several databases for a bounded time, with
 * faults injected at random — hard kills of the operator, API errors, timeouts after writes and
 * dropped watches, runner sessions terminated in PostgreSQL, scripts that fail — then the
 * invariants checked: every migration ended, every database's schema is its last migration's
 * {@code schemaVersion} (no version half-applied), every flag is what status says, and no two runner
 * Jobs were ever at work against one database at once (their start and end times are recorded by the
 * runner's entrypoint, to the millisecond).
 *
 * <p>Each database goes through migrations one after another: migration k migrates to version 2k+1,
 * flips the database's flag, migrates to 2k+2. A failing one's last script fails, so it rolls back.
 */
public final class SoakBenchmark {

  static final String NAMESPACE = "soak";
  private static final String FLAGS_KEY = "flags.flagd.json";

  /** The kinds of fault, as the report counts them. */
  public enum Fault { OPERATOR_KILL, API_ERROR, API_TIMEOUT, DROPPED_WATCH, DATABASE_SESSION_KILLED, FAILING_SCRIPT }

  private static final String[] TARGETS = {
      "PUT|/schemamigrations/[^/]+/status", "POST|/namespaces/" + NAMESPACE + "/jobs$",
      "PATCH|/configmaps/flags-", "POST|/namespaces/" + NAMESPACE + "/leases$", "PUT|/leases/"};

  private final int databases;
  private final Duration duration;
  private final Duration settle;
  private final long seed;
  private final PrintStream log;
  private final Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
  private final List<JobRun> runs = new CopyOnWriteArrayList<>();

  /**
   * @param databases how many databases migrations run against, side by side
   * @param duration how long new migrations are started and faults injected
   * @param settle how long the migrations still running at the end may take to end, faults off
   * @param seed the random choices (which faults, when, which scripts fail)
   */
  public SoakBenchmark(int databases, Duration duration, Duration settle, long seed, PrintStream log) {
    this.databases = databases;
    this.duration = duration;
    this.settle = settle;
    this.seed = seed;
    this.log = log;
    for (Fault f : Fault.values()) {
      faults.put(f, 0);
    }
  }

  /** One runner Job's time at work against one database. */
  record JobRun(String database, String command, long startMillis, long endMillis) {}

  public SoakReport run() throws Exception {
    Random random = new Random(seed);
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start()) {
      ImageCatalog images = new ImageCatalog();
      try (LocalCluster cluster = LocalCluster.start(postgres, images)) {
        // After LocalCluster registered the runner: the same runner, its time at work recorded.
        images.registerEntrypoint(RUNNER_IMAGE.substring(0, RUNNER_IMAGE.lastIndexOf(':')), (args, env) -> {
          String url = env.env("LOCKSTEP_DB_URL");
          long start = System.currentTimeMillis();
          try {
            return LockstepCommand.run(args, env);
          } finally {
            runs.add(new JobRun(url == null ? "?" : url.substring(url.lastIndexOf('/') + 1),
                args.length == 0 ? "?" : args[0], start, System.currentTimeMillis()));
          }
        });
        KubernetesClient user = cluster.client();
        List<Lane> lanes = new ArrayList<>();
        for (int d = 0; d < databases; d++) {
          lanes.add(new Lane("soak-" + d, postgres));
        }
        for (Lane lane : lanes) {
          lane.prepare(user);
        }
        cluster.startOperator();
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        long nextFault = System.nanoTime() + Duration.ofMillis(1000 + random.nextInt(3000)).toNanos();
        long lastReport = started;
        while (System.nanoTime() < end) {
          for (Lane lane : lanes) {
            if (lane.idle(user)) {
              boolean failing = random.nextInt(5) == 0;
              if (failing) {
                count(Fault.FAILING_SCRIPT);
              }
              lane.next(user, failing);
            }
          }
          if (System.nanoTime() >= nextFault) {
            inject(random, cluster, postgres, lanes);
            nextFault = System.nanoTime() + Duration.ofMillis(1000 + random.nextInt(4000)).toNanos();
          }
          if (System.nanoTime() - lastReport > 30_000_000_000L) {
            lastReport = System.nanoTime();
            log.println("soak: " + (System.nanoTime() - started) / 1_000_000_000L + " s, "
                + lanes.stream().mapToInt(l -> l.started).sum() + " migrations started, faults " + faults);
          }
          Thread.sleep(100);
        }
        cluster.world().apiFaults().clear();
        cluster.world().operatorKills().disarm();
        log.println("soak: faults off; waiting up to " + settle.toSeconds() + " s for the migrations still running");
        long settleEnd = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < settleEnd && !lanes.stream().allMatch(l -> l.idle(user))) {
          Thread.sleep(200);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        List<String> violations = new ArrayList<>();
        Map<String, Integer> phases = new TreeMap<>();
        for (Lane lane : lanes) {
          lane.check(user, violations, phases);
        }
        checkNoOverlap(violations);
        return new SoakReport(seed, databases, seconds, lanes.stream().mapToInt(l -> l.started).sum(), phases,
            new EnumMap<>(faults), runs.size(), cluster.operatorIncarnations(), violations);
      }
    }
  }

  private void count(Fault fault) {
    faults.merge(fault, 1, Integer::sum);
  }

  private void inject(Random random, LocalCluster cluster, EmbeddedDatabase postgres, List<Lane> lanes)
      throws SQLException {
    ApiFaults api = cluster.world().apiFaults();
    String[] target = TARGETS[random.nextInt(TARGETS.length)].split("\\|", 2);
    switch (random.nextInt(5)) {
      case 0 -> {
        cluster.killOperatorNow();
        cluster.restartKilledOperator();
        count(Fault.OPERATOR_KILL);
      }
      case 1 -> {
        int code = random.nextBoolean() ? 500 : 409;
        api.failNext(code == 500 ? 1 + random.nextInt(14) : 1 + random.nextInt(3), target[0], target[1], code);
        count(Fault.API_ERROR);
      }
      case 2 -> {
        api.timeOutNext(1, target[0], target[1]);
        count(Fault.API_TIMEOUT);
      }
      case 3 -> {
        api.dropOperatorWatches("watch=");
        count(Fault.DROPPED_WATCH);
      }
      default -> {
        Lane lane = lanes.get(random.nextInt(lanes.size()));
        try (Connection c = postgres.superuserDataSource(lane.database).getConnection();
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE datname = '" + lane.database + "' AND application_name LIKE 'lockstep%'")) {
          rs.next();
          if (rs.getInt(1) > 0) {
            count(Fault.DATABASE_SESSION_KILLED);
          }
        }
      }
    }
  }

  /** No two runner Jobs at work against one database at once. */
  private void checkNoOverlap(List<String> violations) {
    Map<String, List<JobRun>> byDatabase = new TreeMap<>();
    runs.forEach(r -> byDatabase.computeIfAbsent(r.database(), k -> new ArrayList<>()).add(r));
    byDatabase.forEach((database, list) -> {
      list.sort((a, b) -> Long.compare(a.startMillis(), b.startMillis()));
      for (int i = 1; i < list.size(); i++) {
        JobRun before = list.get(i - 1);
        JobRun after = list.get(i);
        if (after.startMillis() < before.endMillis()) {
          violations.add("database " + database + ": a " + after.command() + " Job started "
              + (before.endMillis() - after.startMillis()) + " ms before a " + before.command() + " Job ended");
        }
      }
    });
  }

  /** One database and the migrations that go through it, one after another. */
  private static final class Lane {
    final String database;
    final EmbeddedDatabase postgres;
    int started;
    String current;

    Lane(String database, EmbeddedDatabase postgres) {
      this.database = database;
      this.postgres = postgres;
    }

    String flag() {
      return database + "-dual-write";
    }

    void prepare(KubernetesClient user) {
      user.resource(postgres.database(database).toSecret(NAMESPACE, database)).create();
      String flags = "{\"flags\": {\"" + flag() + "\": {\"state\": \"ENABLED\","
          + " \"variants\": {\"on\": true, \"off\": false}, \"defaultVariant\": \"off\"}}}";
      user.resource(new ConfigMapBuilder().withNewMetadata().withName("flags-" + database).withNamespace(NAMESPACE)
          .endMetadata().addToData(FLAGS_KEY, flags).build()).create();
    }

    /** No migration of this database, or its last one ended. */
    boolean idle(KubernetesClient user) {
      if (current == null) {
        return true;
      }
      SchemaMigration m = user.resources(SchemaMigration.class).inNamespace(NAMESPACE).withName(current).get();
      return m != null && m.getStatus() != null && m.getStatus().getPhase() != null
          && m.getStatus().getPhase().isTerminal();
    }

    void next(KubernetesClient user, boolean failing) {
      int k = started;
      String name = database + "-m" + k;
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
      spec.setSteps(new ArrayList<>(List.of(migrate("expand", expand), flip, migrate("contract", contract))));
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
        String name = database + "-m" + k;
        SchemaMigration m = user.resources(SchemaMigration.class).inNamespace(NAMESPACE).withName(name).get();
        Phase phase = m == null || m.getStatus() == null ? null : m.getStatus().getPhase();
        phases.merge(String.valueOf(phase), 1, Integer::sum);
        if (phase == null || !phase.isTerminal()) {
          violations.add(name + " did not end: phase " + phase);
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
        SchemaMigration m = user.resources(SchemaMigration.class).inNamespace(NAMESPACE)
            .withName(database + "-m" + k).get();
        FlagStatus flag = m == null || m.getStatus() == null || m.getStatus().getFlags() == null ? null
            : m.getStatus().getFlags().get(flag());
        if (flag != null) {
          Phase phase = m.getStatus().getPhase();
          by = m.getMetadata().getName() + " (" + phase + ")";
          allowed = phase == Phase.Succeeded ? List.of(String.valueOf(flag.getVariant()))
              : phase == Phase.RolledBack ? List.of(String.valueOf(flag.getPrevious()))
              : java.util.stream.Stream.of(flag.getVariant(), flag.getPrevious()).map(String::valueOf).toList();
          break;
        }
      }
      if (!allowed.contains(stored)) {
        violations.add(database + ": flag " + flag() + " is " + stored + ", but " + by + " says " + allowed);
      }
    }
  }
}
