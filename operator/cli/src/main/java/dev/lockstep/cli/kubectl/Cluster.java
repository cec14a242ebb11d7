package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as the plugin sees it: SchemaMigrations to read, list, watch, and annotate. Built
 * from a kubeconfig the way kubectl builds its client.
 */
final class Cluster implements AutoCloseable {

  /** Why the plugin cannot go on: no kubeconfig, no such context, the API server refused. */
  static final class ClusterException extends RuntimeException {
    ClusterException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final String SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

  private final KubernetesClient client;
  private final String namespace;

  Cluster(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * @param kubeconfig the kubeconfig file, or null for kubectl's defaults ({@code KUBECONFIG}, then
   *     {@code ~/.kube/config}, then the pod's service account)
   * @param context the context, or null for the current one
   * @param namespace the namespace, or null for the context's (else {@code default})
   */
  static Cluster connect(Path kubeconfig, String context, String namespace) {
    Config config;
    try {
      if (kubeconfig != null) {
        if (!Files.isRegularFile(kubeconfig)) {
          throw new ClusterException("--kubeconfig " + kubeconfig + ": no such file", null);
        }
        config = Config.fromKubeconfig(context, kubeconfig.toFile());
      } else {
        if (!kubeconfigOrServiceAccount()) {
          throw new ClusterException("no kubeconfig: give --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config", null);
        }
        config = Config.autoConfigure(context);
      }
    } catch (KubernetesClientException | IllegalArgumentException e) {
      throw new ClusterException("cannot read the kubeconfig" + (context == null ? "" : " for context " + context)
          + ": " + e.getMessage(), e);
    }
    if (config.getMasterUrl() == null) {
      throw new ClusterException("no cluster: the kubeconfig names no server (give --kubeconfig or set KUBECONFIG)", null);
    }
    if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
      throw new ClusterException("the kubeconfig has no context " + context, null);
    }
    if (config.getMasterUrl().startsWith("http://")) {
      // Plain HTTP is HTTP/1.1 for kubectl too; the JDK client would otherwise try an h2c upgrade.
      config.setHttp2Disable(true);
    }
    // kubectl gives up on an unreachable server quickly instead of retrying for a minute.
    config.setRequestRetryBackoffLimit(1);
    String chosen = namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
    return new Cluster(new KubernetesClientBuilder().withConfig(config).build(), chosen);
  }

  /** Whether kubectl's defaults lead anywhere: a kubeconfig file, or a pod's service account. */
  private static boolean kubeconfigOrServiceAccount() {
    boolean file = Config.getKubeconfigFilenames().stream().anyMatch(name -> Files.isRegularFile(Path.of(name)));
    return file || Files.isRegularFile(Path.of(SERVICE_ACCOUNT_TOKEN));
  }

  String namespace() {
    return namespace;
  }

  String server() {
    return client.getMasterUrl().toString();
  }

  KubernetesClient client() {
    return client;
  }

  private MixedOperation<SchemaMigration, KubernetesResourceList<SchemaMigration>, Resource<SchemaMigration>> migrations() {
    return client.resources(SchemaMigration.class);
  }

  /** The migration, or null when there is none of that name. */
  SchemaMigration get(String name) {
    try {
      return migrations().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw apiError("reading SchemaMigration " + namespace + "/" + name, e);
    }
  }

  /** The migrations of the namespace, or of every namespace, by namespace and name. */
  List<SchemaMigration> list(boolean allNamespaces) {
    try {
      List<SchemaMigration> items = allNamespaces
          ? migrations().inAnyNamespace().list().getItems()
          : migrations().inNamespace(namespace).list().getItems();
      return items.stream()
          .sorted(Comparator.comparing((SchemaMigration m) -> m.getMetadata().getNamespace())
              .thenComparing(m -> m.getMetadata().getName()))
          .toList();
    } catch (KubernetesClientException e) {
      throw apiError("listing SchemaMigrations", e);
    }
  }

  /**
   * Changes only the annotations, with a JSON merge patch ({@code null} removes one). With
   * {@code resourceVersion}, the API server refuses the patch (409) if the object changed since.
   */
  SchemaMigration annotate(SchemaMigration migration, Map<String, String> annotations, String resourceVersion) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("annotations", annotations);
    if (resourceVersion != null) {
      metadata.put("resourceVersion", resourceVersion);
    }
    String patch = Serialization.asJson(Map.of("metadata", metadata));
    return migrations().inNamespace(migration.getMetadata().getNamespace()).withName(migration.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /** An API error as a sentence: what was being done, the server, and what it said. */
  ClusterException apiError(String doing, KubernetesClientException e) {
    if (e.getCode() <= 0) { // no HTTP answer at all
      return new ClusterException(doing + ": cannot reach the API server at " + server() + ": " + rootMessage(e), e);
    }
    String why = switch (e.getCode()) {
      case 401 -> "the API server at " + server() + " did not accept the credentials (401)";
      case 403 -> "forbidden (403): " + e.getStatus().getMessage();
      case 404 -> "the API server knows no SchemaMigrations (404): is the CRD installed? kubectl apply -f crds/";
      default -> "the API server answered " + e.getCode() + ": "
          + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
    };
    return new ClusterException(doing + ": " + why, e);
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  @Override
  public void close() {
    client.close();
  }
}
