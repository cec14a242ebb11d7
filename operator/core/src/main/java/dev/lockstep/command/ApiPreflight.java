package dev.lockstep.command;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Set;

/**
 * What {@code lockstep operator} checks before it starts its informers, each with a one-line answer
 * that says what to change: the API server answers, the SchemaMigration CRD is installed, and the
 * operator may list every resource it watches. Without these checks JOSDK retries for its whole
 * start-up timeout and then fails with pages of stack traces that name none of it.
 */
public final class ApiPreflight {

  /**
   * A resource the operator watches through an informer (list and watch).
   *
   * @param group API group ("" for the core group)
   * @param version API version
   * @param plural resource name as RBAC rules name it
   */
  record Watched(String group, String version, String plural) {

    String qualified() {
      return group.isEmpty() ? plural : plural + "." + group;
    }

    String groupForRbac() {
      return group.isEmpty() ? "\"\" (core)" : group;
    }
  }

  static final Watched MIGRATIONS = new Watched("lockstep.dev", "v1alpha1", "schemamigrations");

  /** The informers of {@code reconcile.EventSources}, in the order a reader would check them. */
  static final List<Watched> WATCHED = List.of(
      MIGRATIONS,
      new Watched("batch", "v1", "jobs"),
      new Watched("", "v1", "pods"),
      new Watched("apps", "v1", "deployments"),
      new Watched("apps", "v1", "statefulsets"),
      new Watched("coordination.k8s.io", "v1", "leases"));

  private ApiPreflight() {}

  /**
   * Throws a {@link StartupProblem} for the first check that fails.
   *
   * @param client a client that does not retry (so an unreachable server fails in seconds)
   * @param source how the connection was configured, for messages
   * @param namespaces the watched namespaces; empty: all
   */
  public static void check(KubernetesClient client, String source, Set<String> namespaces) {
    String server = client.getConfiguration().getMasterUrl();
    for (Watched watched : WATCHED) {
      if (namespaces.isEmpty()) {
        list(client, watched, null, server, source);
      } else {
        for (String namespace : namespaces) {
          list(client, watched, namespace, server, source);
        }
      }
    }
  }

  private static void list(KubernetesClient client, Watched watched, String namespace, String server,
      String source) {
    var context = new ResourceDefinitionContext.Builder().withGroup(watched.group()).withVersion(watched.version())
        .withPlural(watched.plural()).withNamespaced(true).build();
    var resources = client.genericKubernetesResources(context);
    var options = new ListOptionsBuilder().withLimit(1L).build();
    try {
      if (namespace == null) {
        resources.inAnyNamespace().list(options);
      } else {
        resources.inNamespace(namespace).list(options);
      }
    } catch (KubernetesClientException e) {
      String scope = namespace == null ? "in all namespaces" : "in namespace " + namespace;
      if (noAnswer(e)) {
        throw new StartupProblem("cannot reach the Kubernetes API server at " + server + " (from " + source + "): "
            + firstLine(e) + "; start the cluster, or point " + settingOf(source) + " at one that runs", e);
      }
      if (e.getCode() == 401) {
        throw new StartupProblem("the Kubernetes API server at " + server + " refused the credentials of " + source
            + " (401 Unauthorized); renew them (log in again) or use another context", e);
      }
      if (e.getCode() == 404 && watched.equals(MIGRATIONS)) {
        throw new StartupProblem("the SchemaMigration CRD (schemamigrations.lockstep.dev) is not installed in the"
            + " cluster at " + server + "; install it with kubectl apply -f crds/ (the Helm chart installs it too)", e);
      }
      if (e.getCode() == 403) {
        throw new StartupProblem("the operator may not list " + watched.qualified() + " " + scope
            + " (403 Forbidden); grant its service account the verbs list and watch on resource "
            + watched.plural() + " in API group " + watched.groupForRbac()
            + " (the Helm chart's ClusterRole does)", e);
      }
      throw new StartupProblem("listing " + watched.qualified() + " " + scope + " at " + server + " failed: "
          + firstLine(e) + "; check the API server and the operator's permissions", e);
    }
  }

  /** No HTTP answer at all: the connection failed (refused, reset, unknown host, timed out). */
  private static boolean noAnswer(KubernetesClientException e) {
    if (e.getStatus() != null && e.getCode() > 0) {
      return false;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.io.IOException) {
        return true;
      }
    }
    return e.getCode() <= 0;
  }

  /** {@code --kubeconfig}, {@code KUBECONFIG}, ... : what the user changes to reach another cluster. */
  private static String settingOf(String source) {
    return source.startsWith("in-cluster") ? "the pod's service account (KUBERNETES_SERVICE_HOST)"
        : source.contains("--kubeconfig") ? "--kubeconfig" : "KUBECONFIG";
  }

  /** The innermost cause's message, on one line: what went wrong, without the layers above it. */
  static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      // ConnectException, ClosedChannelException: the JDK's client says nothing more than the type.
      message = "no answer (" + root.getClass().getSimpleName() + ")";
    }
    return message.lines().findFirst().orElse(message).strip();
  }
}
