package dev.lockstep.world.cluster;

import dev.lockstep.command.LockstepCommand;
import dev.lockstep.reconcile.OperatorRuntime;
import java.util.Optional;
import dev.lockstep.reconcile.LockstepOperator;
import dev.lockstep.reconcile.OperatorSettings;
import dev.lockstep.world.KubernetesWorld;
import dev.lockstep.world.database.DatabaseServer;
import dev.lockstep.world.kubelet.ImageCatalog;
import dev.lockstep.world.kubelet.SimulatedKubelet;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.lockstep.steps.StepHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A whole cluster in one process: the in-process API server, a simulated kubelet that runs runner
 * Jobs against a real PostgreSQL and the sample applications as workload pods, and the real operator.
 * The OpenFeature Operator's CRDs are installed, and its flagd sidecar is simulated ({@link
 * SampleApps}). {@code lockstep rehearse} and the end-to-end tests both run on it.
 */
public final class LocalCluster implements AutoCloseable {

  /** The image runner Jobs use here; the kubelet runs it in-process. */
  public static final String RUNNER_IMAGE = OperatorSettings.DEFAULT_RUNNER_IMAGE;

  /** The operator's client says who it is, so a test can tell its requests from the kubelet's. */
  public static final String OPERATOR_USER_AGENT = "lockstep-operator";

  private final KubernetesWorld world;
  private final DatabaseServer databases;
  private final SimulatedKubelet kubelet;
  private final KubernetesClient operatorClient;
  private final OperatorSettings settings;
  private final List<StepHandler> moreStepKinds = new ArrayList<>();
  private LockstepOperator operator;

  private LocalCluster(KubernetesWorld world, DatabaseServer databases, ImageCatalog images, int threads) {
    this.world = world;
    this.databases = databases;
    images.registerEntrypoint(repository(RUNNER_IMAGE), LockstepCommand::run);
    OpenFeatureResources.installCrds(world);
    SampleApps.register(images, world.newClient());
    this.kubelet = SimulatedKubelet.start(world.newClient(), images);
    this.operatorClient = world.newOperatorClient();
    this.settings = new OperatorSettings(RUNNER_IMAGE, null, Set.of(), threads, "lockstep-local");
  }

  /**
   * Starts the API server and the kubelet around {@code databases}; the operator starts with
   * {@link #startOperator()}.
   *
   * @param images where scripts images and workload images are found; the runner is added to it
   */
  public static LocalCluster start(DatabaseServer databases, ImageCatalog images) {
    KubernetesWorld world = KubernetesWorld.start();
    try {
      return new LocalCluster(world, databases, images, 10);
    } catch (RuntimeException e) {
      world.close();
      throw e;
    }
  }

  /** Starts the operator; a second call after {@link #stopOperator()} is a restart. */
  public synchronized void startOperator() {
    startOperator(OperatorRuntime.alone());
  }

  /** Starts the operator with leader election or a metrics registry ({@code lockstep rehearse --metrics-port}). */
  public synchronized void startOperator(OperatorRuntime runtime) {
    if (operator == null) {
      operator = new LockstepOperator(operatorClient, settings, Clock.systemUTC(), runtime, moreStepKinds);
      operator.start();
    }
  }

  /** A step kind beyond the built-in ones, for the operator started next (a kind only a test knows). */
  public synchronized void addStepKind(StepHandler handler) {
    moreStepKinds.add(handler);
  }

  /** The operator's state for /healthz and /readyz; empty while it is stopped. */
  public synchronized Optional<LockstepOperator.State> operatorState() {
    return Optional.ofNullable(operator).map(LockstepOperator::state);
  }

  /**
   * One more operator replica on a client of its own, not started: for leader election, where
   * several replicas run against one API server. The caller starts and closes it.
   */
  public LockstepOperator newReplica(String identity, OperatorRuntime runtime) {
    OperatorSettings replica = new OperatorSettings(settings.runnerImage(), settings.serviceAccount(),
        settings.namespaces(), settings.reconcileThreads(), identity, settings.runnerPods());
    return new LockstepOperator(world.newOperatorClient(), replica, Clock.systemUTC(), runtime, moreStepKinds);
  }

  /** Stops the operator as a crash would: whatever it was doing is left where it was. */
  public synchronized void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  /** A client of the API server for the user's side: applying manifests, reading status. */
  public KubernetesClient client() {
    return world.client();
  }

  public KubernetesWorld world() {
    return world;
  }

  public DatabaseServer databases() {
    return databases;
  }

  public SimulatedKubelet kubelet() {
    return kubelet;
  }

  @Override
  public void close() {
    stopOperator();
    kubelet.close();
    operatorClient.close();
    world.close();
  }

  private static String repository(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(0, colon) : image;
  }
}
