package dev.lockstep.e2e.badinput;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A case's {@code expected.yaml}.
 *
 * <p>For a resource: {@code phase} and {@code reason} (the Ready condition's) it ends with, and
 * {@code message}, fragments that must all appear in its status message (the field, file or setting,
 * and what to do); {@code jobs}, when given, how many runner Jobs it may have created.
 *
 * <p>For the operator's own start: {@code operator} says what API server it meets, {@code exit} the
 * exit code and {@code stderr} the fragments of its one line of error output.
 *
 * @param description what is wrong, for people
 * @param padScript grow one script to a size (a script set over 1 MiB without a megabyte in git)
 * @param noBaselineScripts leave out {@code bad-input/baseline/}
 */
@JsonIgnoreProperties(ignoreUnknown = false)
record Expected(String description, String phase, String reason, List<String> message, Integer jobs,
    PadScript padScript, boolean noBaselineScripts, OperatorStart operator, Integer exit, List<String> stderr) {

  /** @param file the script to grow @param toBytes its size afterwards */
  record PadScript(String file, int toBytes) {}

  /**
   * How {@code lockstep operator} is started.
   *
   * @param api {@code none} (nothing listens where the kubeconfig points), {@code empty} (an API server
   *     without the SchemaMigration CRD), {@code installed} (with it)
   * @param forbid a path (regular expression) the API server answers 403 Forbidden to, as without RBAC
   * @param missing a path (regular expression) the API server answers 404 Not Found to, as kube-apiserver
   *     does for a resource whose CRD is not installed (the test world's server, in CRUD mode, serves any path)
   * @param kubeconfig {@code api} (a kubeconfig for the API server), {@code missing-file} or {@code none}
   *     (no KUBECONFIG, no ~/.kube/config, not in a pod)
   * @param args more arguments
   */
  record OperatorStart(String api, String forbid, String missing, String kubeconfig, List<String> args) {}
}
