package dev.lockstep.command;

import dev.lockstep.jobs.RunnerPods;
import dev.lockstep.metrics.OperatorHttpServer;
import dev.lockstep.reconcile.LeaderElection;
import dev.lockstep.reconcile.LockstepOperator;
import dev.lockstep.reconcile.OperatorRuntime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import dev.lockstep.reconcile.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import dev.lockstep.runner.ContainerEnvironment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lockstep operator}: the controller, against the cluster of the kubeconfig or in-cluster. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the controller. Connects like kubectl: KUBECONFIG or ~/.kube/config outside a cluster,"
          + " the pod's service account inside one."
    })
public final class OperatorCommand implements Callable<Integer> {

  /** Exit code when the operator cannot start: no cluster, no CRD, missing permissions. */
  public static final int CANNOT_START = 2;

  @Spec CommandSpec spec;

  /** The program this runs in ({@code lockstep} or the all-in-one jar): where the environment is read. */
  @ParentCommand Object parent;

  @Option(
      names = "--kubeconfig",
      description = "Kubeconfig file of the cluster (its current context). Default: KUBECONFIG, else the pod's"
          + " service account, else ~/.kube/config.")
  String kubeconfig;

  @Option(
      names = "--verbose",
      description = "Print the stack trace when the operator cannot start.")
  boolean verbose;

  @Option(
      names = "--namespace",
      split = ",",
      description = "Namespaces to watch (repeat or comma-separate); default: all. Env: WATCH_NAMESPACE.",
      defaultValue = "${env:WATCH_NAMESPACE}")
  List<String> namespaces;

  @Option(
      names = "--runner-image",
      description = "Image of runner Jobs: this program's own image. Env: LOCKSTEP_RUNNER_IMAGE. Default: ${DEFAULT-VALUE}.",
      defaultValue = "${env:LOCKSTEP_RUNNER_IMAGE:-" + OperatorSettings.DEFAULT_RUNNER_IMAGE + "}")
  String runnerImage;

  @Option(
      names = "--runner-service-account",
      description = "Service account of runner pods (they need no API access). Env: LOCKSTEP_RUNNER_SERVICE_ACCOUNT.",
      defaultValue = "${env:LOCKSTEP_RUNNER_SERVICE_ACCOUNT}")
  String runnerServiceAccount;

  @Option(
      names = "--threads",
      description = "Migrations reconciled at the same time. Env: LOCKSTEP_THREADS. Default: ${DEFAULT-VALUE}.",
      defaultValue = "${env:LOCKSTEP_THREADS:-10}")
  int threads;

  @Option(
      names = "--runner-requests",
      split = ",",
      description = "Resource requests of runner containers, e.g. cpu=100m,memory=256Mi. Env: LOCKSTEP_RUNNER_REQUESTS.",
      defaultValue = "${env:LOCKSTEP_RUNNER_REQUESTS:-cpu=100m,memory=256Mi}")
  Map<String, String> runnerRequests;

  @Option(
      names = "--runner-limits",
      split = ",",
      description = "Resource limits of runner containers, e.g. memory=512Mi. Env: LOCKSTEP_RUNNER_LIMITS.",
      defaultValue = "${env:LOCKSTEP_RUNNER_LIMITS:-memory=512Mi}")
  Map<String, String> runnerLimits;

  @Option(
      names = "--runner-image-pull-secrets",
      split = ",",
      description = "Secrets (in each migration's namespace) to pull runner and scripts images."
          + " Env: LOCKSTEP_RUNNER_IMAGE_PULL_SECRETS.",
      defaultValue = "${env:LOCKSTEP_RUNNER_IMAGE_PULL_SECRETS}")
  List<String> runnerPullSecrets;

  @Option(
      names = "--runner-ttl-seconds",
      description = "Seconds a finished runner Job stays before Kubernetes deletes it. Env: LOCKSTEP_RUNNER_TTL_SECONDS."
          + " Default: ${DEFAULT-VALUE}.",
      defaultValue = "${env:LOCKSTEP_RUNNER_TTL_SECONDS:-86400}")
  int runnerTtlSeconds;

  @Option(
      names = "--leader-election",
      negatable = true,
      description = "Reconcile only while holding a coordination.k8s.io Lease, so replicas can stand by"
          + " (--no-leader-election to run alone). Env: LOCKSTEP_LEADER_ELECTION. Default: on.",
      defaultValue = "${env:LOCKSTEP_LEADER_ELECTION:-true}",
      fallbackValue = "true")
  boolean leaderElection;

  @Option(
      names = "--lease-name",
      description = "Name of the leader Lease. Env: LOCKSTEP_LEASE_NAME. Default: ${DEFAULT-VALUE}.",
      defaultValue = "${env:LOCKSTEP_LEASE_NAME:-lockstep-leader}")
  String leaseName;

  @Option(
      names = "--lease-namespace",
      description = "Namespace of the leader Lease. Env: LOCKSTEP_LEASE_NAMESPACE. Default: the pod's namespace"
          + " (or the kubeconfig context's).",
      defaultValue = "${env:LOCKSTEP_LEASE_NAMESPACE}")
  String leaseNamespace;

  @Option(
      names = "--metrics-port",
      description = "Port of /metrics, /healthz and /readyz (0: none). Env: LOCKSTEP_METRICS_PORT. Default: ${DEFAULT-VALUE}.",
      defaultValue = "${env:LOCKSTEP_METRICS_PORT:-8080}")
  int metricsPort;

  @Override
  public Integer call() throws InterruptedException {
    try {
      return run();
    } catch (StartupProblem e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("lockstep operator: " + e.getMessage());
      if (verbose && e.getCause() != null) {
        e.getCause().printStackTrace(err);
      }
      err.flush();
      return CANNOT_START;
    }
  }

  private Integer run() throws InterruptedException {
    Set<String> watched = new LinkedHashSet<>();
    if (namespaces != null) {
      namespaces.stream().map(String::trim).filter(n -> !n.isEmpty()).forEach(watched::add);
    }
    RunnerPods pods = new RunnerPods(orEmpty(runnerRequests), orEmpty(runnerLimits),
        runnerPullSecrets == null ? List.of()
            : runnerPullSecrets.stream().map(String::trim).filter(n -> !n.isEmpty()).toList(),
        runnerTtlSeconds);
    OperatorSettings settings = new OperatorSettings(
        runnerImage, blankToNull(runnerServiceAccount), watched, threads, hostname(), pods);
    ContainerEnvironment environment = parent instanceof Program program ? program.environment()
        : ContainerEnvironment.ofProcess();
    ClusterConnection connection = ClusterConnection.resolve(kubeconfig, environment);
    // The checks use a client that does not retry, so a wrong cluster fails in seconds, not minutes.
    try (KubernetesClient preflight = new KubernetesClientBuilder().withConfig(new ConfigBuilder(connection.config())
        .withRequestRetryBackoffLimit(0).withConnectionTimeout(5_000).withRequestTimeout(10_000).build()).build()) {
      ApiPreflight.check(preflight, connection.source(), watched);
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(connection.config()).build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Optional<LeaderElection> election = leaderElection
        ? Optional.of(LeaderElection.of(leaseName, leaseNamespaceOr(client), hostname()))
        : Optional.empty();
    // A replica that lost its Lease stops at once: the Deployment restarts it as a candidate.
    Runnable exit = () -> new Thread(() -> System.exit(1), "lockstep-lost-lease").start();
    LockstepOperator operator = new LockstepOperator(client, settings, Clock.systemUTC(),
        new OperatorRuntime(election, Optional.of(registry), exit));
    OperatorHttpServer http = metricsPort == 0 ? null
        : OperatorHttpServer.start(new InetSocketAddress(metricsPort), registry, () -> probe(operator.state()));
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM (a pod being stopped) stops reconciling cleanly; a reconcile in flight may be cut
    // short, which is safe: every action is idempotent and the next operator picks it up.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      if (http != null) {
        http.close();
      }
      client.close();
      stopped.countDown();
    }, "lockstep-shutdown"));
    try {
      operator.start();
    } catch (RuntimeException e) {
      throw new StartupProblem("the operator could not start its informers: " + ApiPreflight.firstLine(e)
          + "; check the API server and the operator's permissions (--verbose prints the stack trace)", e);
    }
    stopped.await();
    return 0;
  }

  /**
   * Liveness: up, and once started its informers healthy. Readiness: started with informers
   * synced, leader or not — a standby replica is ready to take over, and counting it unready would
   * stall every rollout of a two-replica Deployment (the leader is on the lockstep_leader metric).
   */
  public static OperatorHttpServer.Probe probe(LockstepOperator.State state) {
    String detail = state.detail() + (state.leading() ? "; leading" : "; standing by");
    return new OperatorHttpServer.Probe(!state.started() || state.informersHealthy(), state.informersHealthy(), detail);
  }

  private String leaseNamespaceOr(KubernetesClient client) {
    String namespace = blankToNull(leaseNamespace);
    return namespace != null ? namespace : client.getConfiguration().getNamespace();
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private static String hostname() {
    String name = System.getenv("HOSTNAME");
    return name == null ? "lockstep" : name;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
