package dev.lockstep.world.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.world.cluster.FeatureFlagMirror.FeatureFlagName;
import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.world.kubelet.PodProcess;
import dev.lockstep.world.kubelet.PodProcessContext;
import dev.lockstep.world.kubelet.PodProcessFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The OpenFeature Operator in the test world, for pods annotated {@code openfeature.dev/enabled:
 * "true"} and {@code openfeature.dev/featureflagsource: "<name>[, <namespace>/<name>...]"}.
 *
 * <p>In a cluster its webhook adds a flagd sidecar to such a pod, which watches the FeatureFlags that
 * the named FeatureFlagSources list (provider {@code kubernetes}) and answers the application's flagd
 * provider over gRPC on localhost (RPC mode, the {@code FLAGD_*} variables the webhook injects). Here
 * the sidecar is a {@link FeatureFlagMirror} that keeps those FeatureFlags as a flagd JSON file, and the
 * application's flagd provider is pointed at the file instead (file mode): the same flag definitions,
 * the same flagd evaluation rules ({@code fractional} included, which flagd keeps consistent across its
 * implementations), changes seen within a fraction of a second as the sidecar's watch sees them. Not
 * simulated: the sidecar container in the pod's spec, its gRPC transport and its failures, and
 * sources other than {@code kubernetes}.
 */
final class OpenFeatureSidecars implements PodProcessFactory {

  static final String ENABLED = "openfeature.dev/enabled";
  static final String FEATURE_FLAG_SOURCE = "openfeature.dev/featureflagsource";

  /** Where the application is told the flags are; the file lives in a directory of the sidecar's. */
  static final String FLAG_FILE = "/var/run/openfeature/flagd/flags.flagd.json";
  /** How often the provider looks at the file: the sidecar's watch pushes changes about as fast. */
  static final String POLL_MILLIS = "200";

  private final KubernetesClient client;
  private final PodProcessFactory application;

  OpenFeatureSidecars(KubernetesClient client, PodProcessFactory application) {
    this.client = client;
    this.application = application;
  }

  @Override
  public PodProcess start(PodProcessContext pod) throws Exception {
    Map<String, String> annotations = pod.annotations();
    if (!"true".equals(annotations.get(ENABLED)) || annotations.get(FEATURE_FLAG_SOURCE) == null) {
      return application.start(pod);
    }
    List<FeatureFlagName> featureFlags = featureFlags(pod.namespace(), annotations.get(FEATURE_FLAG_SOURCE));
    Path directory = Files.createTempDirectory("lockstep-flagd-" + pod.podName() + "-");
    FeatureFlagMirror mirror;
    try {
      mirror = FeatureFlagMirror.start(client, featureFlags, directory.resolve("flags.flagd.json"));
    } catch (RuntimeException e) {
      delete(directory);
      throw e;
    }
    try {
      PodProcess process = application.start(withFlagFile(pod, mirror.file()));
      pod.environment().out().println("flagd sidecar (test world): serving " + featureFlags + " from " + FLAG_FILE);
      return () -> {
        try {
          process.close();
        } finally {
          mirror.close();
          delete(directory);
        }
      };
    } catch (Exception e) {
      mirror.close();
      delete(directory);
      throw e;
    }
  }

  /** The FeatureFlags the pod's FeatureFlagSources name, in order. */
  private List<FeatureFlagName> featureFlags(String podNamespace, String annotation) {
    List<FeatureFlagName> flags = new ArrayList<>();
    for (String reference : annotation.split(",")) {
      FeatureFlagName sourceName = parse(reference.trim(), podNamespace);
      GenericKubernetesResource source = client.genericKubernetesResources(OpenFeatureResources.FEATURE_FLAG_SOURCE)
          .inNamespace(sourceName.namespace()).withName(sourceName.name()).get();
      if (source == null) {
        throw new IllegalStateException("FeatureFlagSource " + sourceName + " (annotation " + FEATURE_FLAG_SOURCE
            + ") does not exist");
      }
      JsonNode spec = Serialization.jsonMapper().valueToTree(source.getAdditionalProperties().get("spec"));
      String defaultProvider = spec.path("defaultSyncProvider").asText("kubernetes");
      for (JsonNode entry : spec.path("sources")) {
        String provider = entry.path("provider").asText(defaultProvider);
        if (!provider.equals("kubernetes")) {
          throw new IllegalStateException("FeatureFlagSource " + sourceName + ": sources with provider " + provider
              + " are not simulated by the test world; use provider kubernetes (a FeatureFlag)");
        }
        // A source without a namespace is in the pod's namespace, as the operator reads it.
        flags.add(parse(entry.path("source").asText(), podNamespace));
      }
    }
    if (flags.isEmpty()) {
      throw new IllegalStateException("the FeatureFlagSources " + annotation + " list no FeatureFlag");
    }
    return flags;
  }

  private static FeatureFlagName parse(String reference, String defaultNamespace) {
    int slash = reference.indexOf('/');
    return slash < 0
        ? new FeatureFlagName(defaultNamespace, reference)
        : new FeatureFlagName(reference.substring(0, slash), reference.substring(slash + 1));
  }

  /** The pod as the application sees it with the sidecar: its flagd provider reads the mirrored file. */
  private static PodProcessContext withFlagFile(PodProcessContext pod, Path file) {
    ContainerEnvironment original = pod.environment();
    Map<String, String> injected = Map.of(
        "FLAGD_RESOLVER", "file",
        "FLAGD_OFFLINE_FLAG_SOURCE_PATH", FLAG_FILE,
        "FLAGD_OFFLINE_POLL_MS", POLL_MILLIS);
    ContainerEnvironment environment = new ContainerEnvironment(
        name -> injected.containsKey(name) ? injected.get(name) : original.env(name),
        path -> Path.of("/").resolve(path).normalize().equals(Path.of(FLAG_FILE)) ? file : original.file(path),
        original.out(),
        original.err());
    return new PodProcessContext(pod.namespace(), pod.podName(), pod.podIp(), pod.labels(), pod.annotations(),
        pod.container(), pod.args(), environment);
  }

  private static void delete(Path directory) {
    try (Stream<Path> tree = Files.walk(directory)) {
      tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
