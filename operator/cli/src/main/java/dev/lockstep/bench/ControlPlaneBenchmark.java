package dev.lockstep.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.lockstep.api.ConfigMapRef;
import dev.lockstep.api.DatabaseRef;
import dev.lockstep.api.MigrateStep;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.api.ScriptsSource;
import dev.lockstep.api.SecretRef;
import dev.lockstep.api.Step;
import dev.lockstep.reconcile.LockstepOperator;
import dev.lockstep.reconcile.OperatorSettings;
import dev.lockstep.world.cluster.OpenFeatureResources;
import dev.lockstep.world.KubernetesWorld;
import dev.lockstep.world.kubelet.ImageCatalog;
import dev.lockstep.world.kubelet.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code lockstep bench control-plane}: the operator's own reaction time and cost as the number of
 * migrations grows. The real operator runs against the test world's API server and simulated
 * kubelet; the runner is a stand-in whose Jobs complete as soon as they start ({@link
 * InstantRunner}), so what is measured is the control plane: watches, reconciles, status writes,
 * Jobs created, leases taken and released.
 */
public final class ControlPlaneBenchmark {

  static final String NAMESPACE = "bench";
  /** The steps of every migration: four migrate steps, each a Job. */
  static final List<String> STEPS = List.of("v2", "v3", "v4", "v5");

  private final int reconcileThreads;
  private final Duration timeout;
  private final PrintStream log;

  public ControlPlaneBenchmark(int reconcileThreads, Duration timeout, PrintStream log) {
    this.reconcileThreads = reconcileThreads;
    this.timeout = timeout;
    this.log = log;
  }

  /**
   * One run in a fresh world.
   *
   * @throws BenchmarkFailure when the migrations do not all end within the timeout
   */
  public ControlPlaneRun run(int migrations, int databases) throws InterruptedException {
    log.println("bench: control plane, " + migrations + " migrations over " + databases + " databases");
    try (KubernetesWorld world = KubernetesWorld.start()) {
      OpenFeatureResources.installCrds(world);
      ImageCatalog images = new ImageCatalog()
          .registerEntrypoint(OperatorSettings.DEFAULT_RUNNER_IMAGE, new InstantRunner());
      try (SimulatedKubelet kubelet = SimulatedKubelet.start(world.newClient(), images);
          ControlPlaneTimeline timeline = new ControlPlaneTimeline(world.newClient(), NAMESPACE)) {
        KubernetesClient user = world.client();
        prepare(user);
        ApiRequestCounter requests = new ApiRequestCounter();
        long heapBefore = heapAfterFullGc();
        long cpuBefore = cpuNanos();
        try (KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(world.clientConfig())
                .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("bench-count", requests)).build();
            LockstepOperator operator = new LockstepOperator(operatorClient,
                new OperatorSettings(OperatorSettings.DEFAULT_RUNNER_IMAGE, null, Set.of(NAMESPACE), reconcileThreads,
                    "lockstep-bench"))) {
          operator.start();
          long started = System.nanoTime();
          List<String> names = new ArrayList<>();
          for (int i = 0; i < migrations; i++) {
            String name = String.format("m%05d", i);
            names.add(name);
            user.resource(migration(name, "db-" + (i % databases))).create();
          }
          long deadline = started + timeout.toNanos();
          long lastReport = started;
          while (timeline.ended() < migrations) {
            if (System.nanoTime() > deadline) {
              throw new BenchmarkFailure(timeline.ended() + " of " + migrations + " migrations ended within "
                  + timeout.toSeconds() + " s; give more --timeout, or fewer --migrations");
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
              lastReport = System.nanoTime();
              log.println("bench: " + timeline.ended() + " of " + migrations + " migrations ended");
            }
            Thread.sleep(20);
          }
          long wallMillis = (System.nanoTime() - started) / 1_000_000;
          long cpuMillis = (cpuNanos() - cpuBefore) / 1_000_000;
          long heapGrowth = heapAfterFullGc() - heapBefore;
          long[] reactions = timeline.reactions(names, STEPS).stream().mapToLong(Long::longValue).sorted().toArray();
          log.println("bench: " + migrations + " migrations ended in " + wallMillis + " ms, "
              + timeline.ended(Phase.Succeeded) + " succeeded");
          return new ControlPlaneRun(migrations, databases, STEPS.size(), timeline.ended(Phase.Succeeded),
              reactions.length, percentileMillis(reactions, 50), percentileMillis(reactions, 99),
              percentileMillis(reactions, 100), wallMillis, requests.snapshot(), heapGrowth, cpuMillis);
        }
      }
    }
  }

  /** The Secret and the scripts every migration uses: V2..V5, one small table each. */
  private static void prepare(KubernetesClient user) {
    user.resource(new SecretBuilder().withNewMetadata().withName("bench-db").withNamespace(NAMESPACE).endMetadata()
        .withStringData(Map.of("url", "jdbc:postgresql://127.0.0.1:5432/bench", "username", "bench",
            "password", "not-used"))
        .build()).create();
    Map<String, String> scripts = new LinkedHashMap<>();
    for (String step : STEPS) {
      String version = step.substring(1);
      scripts.put("V" + version + "__t" + version + ".sql", "CREATE TABLE t" + version + " (id bigint PRIMARY KEY);\n");
      scripts.put("U" + version + "__t" + version + ".sql", "DROP TABLE t" + version + ";\n");
    }
    user.resource(new ConfigMapBuilder().withNewMetadata().withName("bench-scripts").withNamespace(NAMESPACE)
        .endMetadata().withData(scripts).build()).create();
  }

  static SchemaMigration migration(String name, String database) {
    SchemaMigration m = new SchemaMigration();
    m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    SchemaMigrationSpec spec = new SchemaMigrationSpec();
    DatabaseRef db = new DatabaseRef();
    db.setName(database);
    SecretRef secret = new SecretRef();
    secret.setName("bench-db");
    db.setSecretRef(secret);
    spec.setDatabase(db);
    ScriptsSource scripts = new ScriptsSource();
    ConfigMapRef configMap = new ConfigMapRef();
    configMap.setName("bench-scripts");
    scripts.setConfigMapRef(configMap);
    spec.setScripts(scripts);
    List<Step> steps = new ArrayList<>();
    for (String stepName : STEPS) {
      Step step = new Step();
      step.setName(stepName);
      MigrateStep migrate = new MigrateStep();
      migrate.setTo(stepName.substring(1));
      step.setMigrate(migrate);
      steps.add(step);
    }
    spec.setSteps(steps);
    m.setSpec(spec);
    return m;
  }

  /** Nearest rank, in milliseconds; 0 with no sample. */
  static double percentileMillis(long[] sortedNanos, double percent) {
    if (sortedNanos.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percent / 100 * sortedNanos.length);
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length, rank) - 1)] / 1e6;
  }

  private static long heapAfterFullGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long cpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

}
