package dev.lockstep.bench;

import static dev.lockstep.world.cluster.LocalCluster.RUNNER_IMAGE;

import dev.lockstep.command.LockstepCommand;
import dev.lockstep.world.ApiFaults;
import dev.lockstep.world.cluster.LocalCluster;
import dev.lockstep.world.database.EmbeddedDatabase;
import dev.lockstep.world.kubelet.ImageCatalog;
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
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code lockstep bench soak}: many migrations over several databases for a bounded time, with
 * faults injected at random — hard kills of the operator, API errors, timeouts after writes and
 * dropped watches, runner sessions terminated in PostgreSQL, guard breaches, scripts that fail — then
 * the invariants checked: every migration ended, every database's schema is its last migration's
 * {@code schemaVersion} (no version half-applied), every flag is what status says, every guard
 * breach rolled its migration back and no other migration rolled back for a guard, and no two runner
 * Jobs were ever at work against one database at once (their start and end times are recorded by the
 * runner's entrypoint, to the millisecond).
 *
 * <p>Each database goes through migrations one after another ({@link SoakLane}); a failing one's last
 * script fails, so it rolls back. The guard breaches are {@link SoakGuardBreaches}.
 */
public final class SoakBenchmark {

  static final String NAMESPACE = "soak";

  /** The kinds of fault, as the report counts them. */
  public enum Fault {
    OPERATOR_KILL, API_ERROR, API_TIMEOUT, DROPPED_WATCH, DATABASE_SESSION_KILLED, GUARD_BREACH, FAILING_SCRIPT
  }

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
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start(); SoakGuardBreaches breaches = new SoakGuardBreaches()) {
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
        List<SoakLane> lanes = new ArrayList<>();
        for (int d = 0; d < databases; d++) {
          lanes.add(new SoakLane("soak-" + d, postgres, breaches.guard("soak-" + d)));
        }
        for (SoakLane lane : lanes) {
          lane.prepare(user);
        }
        cluster.startOperator();
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        long nextFault = System.nanoTime() + Duration.ofMillis(1000 + random.nextInt(3000)).toNanos();
        long lastReport = started;
        while (System.nanoTime() < end) {
          // Before a lane starts its next migration: that one's guard must not see the last one's breach.
          breaches.liftAnswered(user);
          for (SoakLane lane : lanes) {
            if (lane.idle(user)) {
              boolean failing = random.nextInt(5) == 0;
              if (failing) {
                count(Fault.FAILING_SCRIPT);
              }
              lane.next(user, failing);
            }
          }
          if (breaches.injectArmed(random, lanes, user)) {
            count(Fault.GUARD_BREACH);
          }
          if (System.nanoTime() >= nextFault) {
            inject(random, cluster, postgres, lanes, breaches);
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
        breaches.disarm();
        log.println("soak: faults off; waiting up to " + settle.toSeconds() + " s for the migrations still running");
        long settleEnd = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < settleEnd && !lanes.stream().allMatch(l -> l.idle(user))) {
          breaches.liftAnswered(user);
          Thread.sleep(200);
        }
        breaches.liftAnswered(user);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        List<String> violations = new ArrayList<>();
        Map<String, Integer> phases = new TreeMap<>();
        for (SoakLane lane : lanes) {
          lane.check(user, violations, phases);
        }
        int guardRollbacks = breaches.check(user, lanes, violations);
        checkNoOverlap(violations);
        return new SoakReport(seed, databases, seconds, lanes.stream().mapToInt(l -> l.started).sum(), phases,
            new EnumMap<>(faults), guardRollbacks, runs.size(), cluster.operatorIncarnations(), violations);
      }
    }
  }

  private void count(Fault fault) {
    faults.merge(fault, 1, Integer::sum);
  }

  private void inject(Random random, LocalCluster cluster, EmbeddedDatabase postgres, List<SoakLane> lanes,
      SoakGuardBreaches breaches) throws SQLException {
    ApiFaults api = cluster.world().apiFaults();
    String[] target = TARGETS[random.nextInt(TARGETS.length)].split("\\|", 2);
    switch (random.nextInt(6)) {
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
      case 4 -> breaches.arm();
      default -> {
        SoakLane lane = lanes.get(random.nextInt(lanes.size()));
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
}
