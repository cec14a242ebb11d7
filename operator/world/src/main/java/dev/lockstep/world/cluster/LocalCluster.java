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
import java.util.function.Predicate;
import dev.lockstep.world.OperatorKills;

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
  private KubernetesClient operatorClient;
  private String operatorAgent = OPERATOR_USER_AGENT;
  private int incarnation = 1;
  private final OperatorSettings settings;
  private final List<StepHandler> moreStepKinds = new ArrayList<>();
  private LockstepOperator operator;

  private LocalCluster(KubernetesWorld world, DatabaseServer databases, ImageCatalog images, int threads) {
    this.world = world;
    this.databases = databases;
    images.registerEntrypoint(repository(RUNNER_IMAGE), LockstepCommand::run);
    images.onKill(repository(RUNNER_IMAGE), RunnerSessions::terminate);
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

  /**
   * Arms a hard kill: the operator is killed right after the API server answered its first request
   * that matches {@code point} ({@link OperatorKills}); then call {@link #restartKilledOperator()}.
   */
  public OperatorKills.Kill killOperatorAfter(String description, Predicate<OperatorKills.Call> point) {
    return world.operatorKills().after(description, point);
  }

  /**
   * Kills the operator where it is, as {@code kill -9} of its pod: none of its requests reaches the
   * API server from now on. Then call {@link #restartKilledOperator()}.
   */
  public synchronized void killOperatorNow() {
    world.operatorKills().kill(operatorAgent);
  }

  /**
   * Discards a killed operator and starts a new one on a new client, as Kubernetes restarts a killed
   * pod: the new process has none of the old one's memory, and its requests carry a User-Agent of
   * their own ({@code lockstep-operator/2}, ...), so that the killed one stays silent. A kill that has
   * not fired yet is made now, so the old operator never writes again either way.
   */
  public synchronized void restartKilledOperator() {
    world.operatorKills().kill(operatorAgent);
    if (operator != null) {
      operator.close(); // its requests are refused: closing it writes nothing
      operator = null;
    }
    operatorClient.close();
    incarnation++;
    operatorAgent = OPERATOR_USER_AGENT + "/" + incarnation;
    operatorClient = world.newOperatorClient(operatorAgent);
    startOperator();
  }

  /** How many operator processes have run: 1, plus one per restart after a kill. */
  public synchronized int operatorIncarnations() {
    return incarnation;
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
  public synchronized void close() {
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
