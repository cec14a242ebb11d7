package dev.lockstep.command;

import dev.lockstep.runner.ContainerEnvironment;
import io.fabric8.kubernetes.client.Config;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code lockstep operator} finds its cluster, as kubectl does: {@code --kubeconfig}, else
 * {@code KUBECONFIG}, else the pod's service account ({@code KUBERNETES_SERVICE_HOST}), else
 * {@code ~/.kube/config}. Decided up front, so that a machine with none of them gets one line saying
 * so instead of a client that tries {@code https://kubernetes.default.svc} for 20 seconds.
 *
 * @param config the client configuration
 * @param source how the configuration was found, for messages: {@code kubeconfig /path} or {@code in-cluster}
 */
public record ClusterConnection(Config config, String source) {

  static final String HOW_TO_CONNECT = "set KUBECONFIG (or --kubeconfig) to a kubeconfig file,"
      + " or run the operator in a pod (KUBERNETES_SERVICE_HOST)";

  /**
   * @param kubeconfig the {@code --kubeconfig} option, or null
   * @param environment where KUBECONFIG, KUBERNETES_SERVICE_HOST and HOME are read
   */
  public static ClusterConnection resolve(String kubeconfig, ContainerEnvironment environment) {
    if (!blank(kubeconfig)) {
      return fromFile(kubeconfig, "--kubeconfig");
    }
    String fromEnv = environment.env("KUBECONFIG");
    if (!blank(fromEnv)) {
      // kubectl merges a path list; the first existing file is the one that names the context.
      for (String path : fromEnv.split(File.pathSeparator)) {
        if (!path.isBlank() && Files.isRegularFile(Path.of(path))) {
          return fromFile(path, "KUBECONFIG");
        }
      }
      throw new StartupProblem("KUBECONFIG is " + fromEnv + ", which names no existing file; "
          + HOW_TO_CONNECT);
    }
    if (!blank(environment.env("KUBERNETES_SERVICE_HOST"))) {
      return new ClusterConnection(Config.autoConfigure(null), "in-cluster service account");
    }
    String home = environment.env("HOME");
    if (!blank(home) && Files.isRegularFile(Path.of(home, ".kube", "config"))) {
      return fromFile(Path.of(home, ".kube", "config").toString(), "~/.kube/config");
    }
    throw new StartupProblem("no Kubernetes cluster to connect to: KUBECONFIG is not set, ~/.kube/config does"
        + " not exist and KUBERNETES_SERVICE_HOST is not set (not in a pod); " + HOW_TO_CONNECT);
  }

  private static ClusterConnection fromFile(String path, String setting) {
    File file = new File(path);
    if (!file.isFile()) {
      throw new StartupProblem(setting + " names " + path + ", which does not exist; " + HOW_TO_CONNECT);
    }
    try {
      return new ClusterConnection(Config.fromKubeconfig(null, file), "kubeconfig " + path + " (" + setting + ")");
    } catch (RuntimeException e) {
      throw new StartupProblem(setting + " names " + path + ", which is not a kubeconfig file Lockstep can use ("
          + ApiPreflight.firstLine(e) + "); fix it or point " + setting + " at another file", e);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
