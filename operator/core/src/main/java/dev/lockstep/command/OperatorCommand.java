package dev.lockstep.command;

import dev.lockstep.reconcile.LockstepOperator;
import dev.lockstep.reconcile.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockstep operator}: the controller, against the cluster of the kubeconfig or in-cluster. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the controller. Connects like kubectl: KUBECONFIG or ~/.kube/config outside a cluster,"
          + " the pod's service account inside one."
    })
public final class OperatorCommand implements Callable<Integer> {

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
      description = "Migrations reconciled at the same time. Default: ${DEFAULT-VALUE}.",
      defaultValue = "10")
  int threads;

  @Override
  public Integer call() throws InterruptedException {
    Set<String> watched = new LinkedHashSet<>();
    if (namespaces != null) {
      namespaces.stream().map(String::trim).filter(n -> !n.isEmpty()).forEach(watched::add);
    }
    OperatorSettings settings = new OperatorSettings(
        runnerImage, blankToNull(runnerServiceAccount), watched, threads, hostname());
    KubernetesClient client = new KubernetesClientBuilder().build();
    LockstepOperator operator = new LockstepOperator(client, settings);
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM (a pod being stopped) stops reconciling cleanly; a reconcile in flight may be cut
    // short, which is safe: every action is idempotent and the next operator picks it up.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      client.close();
      stopped.countDown();
    }, "lockstep-shutdown"));
    operator.start();
    stopped.await();
    return 0;
  }

  private static String hostname() {
    String name = System.getenv("HOSTNAME");
    return name == null ? "lockstep" : name;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
