package dev.lockstep.jobs;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.ScriptsSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds runner Jobs following the Job protocol of PRODUCT.md: credentials only through
 * {@code secretKeyRef}, scripts from a ConfigMap volume or copied out of the scripts image by an init
 * container, {@code backoffLimit: 0} because the operator owns retries, a deadline, an owner
 * reference and the lockstep labels.
 */
public final class RunnerJobFactory {

  /** Where the runner finds the scripts inside its container. */
  public static final String SCRIPTS_MOUNT = "/lockstep/scripts";

  /** The port a backfill runner serves its progress on, as the container's {@code progress} port. */
  public static final int PROGRESS_PORT = 8095;

  /** The name of that container port: the operator finds the port by it. */
  public static final String PROGRESS_PORT_NAME = "progress";

  /** The runner's pod IP, from the downward API: the progress endpoint listens there. */
  static final String POD_IP_VARIABLE = "LOCKSTEP_POD_IP";

  static final String SCRIPTS_VOLUME = "scripts";
  static final String RUNNER_CONTAINER = "runner";
  static final String COPY_CONTAINER = "copy-scripts";

  /** The runner image's user (see the jib configuration in operator/pom.xml); any image runs as it. */
  static final long RUNNER_UID = 65532;
  static final String TMP_VOLUME = "tmp";

  /** A sidecar that never exits keeps a Job from completing: no service-mesh injection. */
  static final Map<String, String> NO_SIDECARS = Map.of(
      "sidecar.istio.io/inject", "false",
      "linkerd.io/inject", "disabled");

  private final String runnerImage;
  private final String serviceAccount;
  private final RunnerPods pods;

  /**
   * @param runnerImage the image of this program; the runner is another entrypoint of it
   * @param serviceAccount the service account runner pods use, or {@code null} for the namespace's
   *     default (the runner needs no Kubernetes API access)
   */
  public RunnerJobFactory(String runnerImage, String serviceAccount) {
    this(runnerImage, serviceAccount, RunnerPods.defaults());
  }

  /** @param pods resources, pull secrets and TTL of runner pods */
  public RunnerJobFactory(String runnerImage, String serviceAccount, RunnerPods pods) {
    this.runnerImage = runnerImage;
    this.serviceAccount = serviceAccount;
    this.pods = pods;
  }

  public Job build(RunnerJobRequest request) {
    SchemaMigration migration = request.migration();
    Map<String, String> labels = labels(request);
    ScriptsSource scripts = migration.getSpec().getScripts();
    return new JobBuilder()
        .withNewMetadata()
        .withName(request.jobName())
        .withNamespace(request.namespace())
        .withLabels(labels)
        .withOwnerReferences(ownerReference(migration))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(Math.max(1, request.deadline().toSeconds()))
        .withTtlSecondsAfterFinished(pods.ttlSecondsAfterFinished())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(NO_SIDECARS)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(serviceAccount)
        .withAutomountServiceAccountToken(false)
        .withImagePullSecrets(pods.imagePullSecrets().stream()
            .map(name -> new LocalObjectReferenceBuilder().withName(name).build()).toList())
        .withSecurityContext(restrictedPod())
        .withInitContainers(copyScripts(scripts))
        .withContainers(runner(request))
        .withVolumes(scriptsVolume(scripts),
            new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Container runner(RunnerJobRequest request) {
    List<EnvVar> env = new ArrayList<>();
    if (request.usesDatabase()) {
      String secret = request.migration().getSpec().getDatabase().getSecretRef().getName();
      env.add(secretEnv("LOCKSTEP_DB_URL", secret, "url"));
      env.add(secretEnv("LOCKSTEP_DB_USERNAME", secret, "username"));
      env.add(secretEnv("LOCKSTEP_DB_PASSWORD", secret, "password"));
    }
    List<String> args = new ArrayList<>(request.args());
    List<ContainerPort> ports = new ArrayList<>();
    if (request.progressPort() != null) {
      env.add(new EnvVarBuilder().withName(POD_IP_VARIABLE)
          .withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
      args.add("--progress-port");
      args.add(request.progressPort().toString());
      ports.add(new ContainerPortBuilder().withName(PROGRESS_PORT_NAME).withContainerPort(request.progressPort())
          .withProtocol("TCP").build());
    }
    return new ContainerBuilder()
        .withName(RUNNER_CONTAINER)
        .withImage(runnerImage)
        .withArgs(args)
        .withPorts(ports)
        .withEnv(env)
        .addNewVolumeMount()
        .withName(SCRIPTS_VOLUME)
        .withMountPath(SCRIPTS_MOUNT)
        .withReadOnly(true)
        .endVolumeMount()
        // The root filesystem is read-only; the JVM gets its scratch space here.
        .addNewVolumeMount()
        .withName(TMP_VOLUME)
        .withMountPath("/tmp")
        .endVolumeMount()
        .withResources(resources())
        .withSecurityContext(restrictedContainer())
        .withTerminationMessagePath("/dev/termination-log")
        // The runner writes its JSON result there; if it dies before that, the log tail helps.
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  /** The restricted Pod Security Standard: a numeric non-root user, the runtime's seccomp profile. */
  private static PodSecurityContext restrictedPod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUNNER_UID)
        .withRunAsGroup(RUNNER_UID)
        .withFsGroup(RUNNER_UID)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  private static SecurityContext restrictedContainer() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .build();
  }

  private ResourceRequirements resources() {
    return new ResourceRequirementsBuilder()
        .withRequests(quantities(pods.requests()))
        .withLimits(quantities(pods.limits()))
        .build();
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    Map<String, Quantity> quantities = new TreeMap<>();
    values.forEach((name, value) -> quantities.put(name, new Quantity(value)));
    return quantities;
  }

  private List<Container> copyScripts(ScriptsSource scripts) {
    List<Container> init = new ArrayList<>();
    if (scripts.getImage() != null) {
      String path = scripts.getImage().getPath();
      init.add(
          new ContainerBuilder()
              .withName(COPY_CONTAINER)
              .withImage(scripts.getImage().getName())
              .withCommand("cp", "-R", path.replaceAll("/+$", "") + "/.", SCRIPTS_MOUNT + "/")
              .withSecurityContext(restrictedContainer())
              .withResources(resources())
              .addNewVolumeMount()
              .withName(SCRIPTS_VOLUME)
              .withMountPath(SCRIPTS_MOUNT)
              .endVolumeMount()
              .build());
    }
    return init;
  }

  private static Volume scriptsVolume(ScriptsSource scripts) {
    VolumeBuilder volume = new VolumeBuilder().withName(SCRIPTS_VOLUME);
    if (scripts.getConfigMapRef() != null) {
      return volume.withNewConfigMap().withName(scripts.getConfigMapRef().getName()).endConfigMap().build();
    }
    return volume.withNewEmptyDir().endEmptyDir().build();
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static Map<String, String> labels(RunnerJobRequest request) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(JobLabels.MANAGED_BY, JobLabels.MANAGER);
    labels.put(JobLabels.MIGRATION, request.migration().getMetadata().getName());
    labels.put(JobLabels.STEP, request.step());
    labels.put(JobLabels.ACTION, request.action());
    labels.put(JobLabels.ATTEMPT, Integer.toString(request.attempt()));
    return labels;
  }

  private static OwnerReference ownerReference(SchemaMigration migration) {
    return new OwnerReferenceBuilder()
        .withApiVersion(migration.getApiVersion())
        .withKind(migration.getKind())
        .withName(migration.getMetadata().getName())
        .withUid(migration.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
