package dev.lockstep.cli;

import dev.lockstep.command.OperatorCommand;

import dev.lockstep.metrics.OperatorHttpServer;
import dev.lockstep.reconcile.OperatorRuntime;
import dev.lockstep.world.cluster.LocalCluster;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.lockstep.api.Durations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.world.cluster.Manifests;
import dev.lockstep.rehearse.Rehearsal;
import dev.lockstep.world.database.DatabaseServer;
import dev.lockstep.world.database.EmbeddedDatabase;
import dev.lockstep.world.database.ExternalDatabase;
import dev.lockstep.world.kubelet.ImageCatalog;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep rehearse -f DIR}: the whole rollout of a directory of manifests, against a real
 * PostgreSQL, before it goes near a cluster.
 */
@Command(
    name = "rehearse",
    mixinStandardHelpOptions = true,
    description = {
      "Rehearses the rollout of every SchemaMigration in a directory of manifests: an in-process",
      "Kubernetes API, simulated pods, the real operator and runner, and a real PostgreSQL",
      "(embedded unless --jdbc-url is given). Prints the timeline on stderr.",
      "Exit 0 when every migration Succeeded, 1 otherwise, 2 on bad input."
    })
final class RehearseCommand implements Callable<Integer> {

  static final int ALL_SUCCEEDED = 0;
  static final int NOT_ALL_SUCCEEDED = 1;
  static final int BAD_INPUT = 2;

  @ParentCommand Lockstep root;

  @Option(names = {"-f", "--filename"}, required = true, description = "Directory (or file) of manifests.")
  Path directory;

  @Option(names = "--jdbc-url", description = "Rehearse on this PostgreSQL database instead of an embedded one.")
  String jdbcUrl;

  @Option(names = "--username", description = "User for --jdbc-url. Env: LOCKSTEP_REHEARSE_USERNAME.",
      defaultValue = "${env:LOCKSTEP_REHEARSE_USERNAME}")
  String username;

  @Option(names = "--password", description = "Password for --jdbc-url. Env: LOCKSTEP_REHEARSE_PASSWORD.",
      defaultValue = "${env:LOCKSTEP_REHEARSE_PASSWORD}")
  String password;

  @Option(names = "--timeout", defaultValue = "10m", description = "Give up after this long. Default: ${DEFAULT-VALUE}.")
  String timeout;

  @Option(names = "--output", defaultValue = "text", description = "text or json (the final resources, on stdout). Default: ${DEFAULT-VALUE}.")
  String output;

  @Option(names = "--metrics-port",
      description = "Serve /metrics, /healthz and /readyz of the rehearsal's operator on this port, on localhost.")
  Integer metricsPort;

  @Option(names = "--no-auto-approve", negatable = false,
      description = "Leave steps that need approval waiting (the rehearsal then times out on them).")
  boolean noAutoApprove;

  @Option(names = "--image", split = ",", paramLabel = "IMAGE=DIR",
      description = "Where the scripts of a scripts image are: IMAGE=DIR makes DIR the image's scripts path.")
  Map<String, Path> images;

  @Override
  public Integer call() throws Exception {
    PrintStream out = root.environment().out();
    PrintStream err = root.environment().err();
    Duration limit;
    Manifests manifests;
    try {
      if (!output.equals("text") && !output.equals("json")) {
        throw new IllegalArgumentException("--output is \"" + output + "\"; use text or json");
      }
      limit = Durations.parse(timeout, "--timeout");
      manifests = Manifests.load(directory);
    } catch (IllegalArgumentException | Manifests.BadManifestException e) {
      err.println("lockstep rehearse: " + e.getMessage());
      return BAD_INPUT;
    }
    ImageCatalog catalog = new ImageCatalog();
    if (images != null) {
      for (Map.Entry<String, Path> image : images.entrySet()) {
        if (!Files.isDirectory(image.getValue())) {
          err.println("lockstep rehearse: --image " + image.getKey() + "=" + image.getValue() + ": not a directory");
          return BAD_INPUT;
        }
      }
    }
    List<SchemaMigration> result;
    try (DatabaseServer databases = jdbcUrl == null
        ? EmbeddedDatabase.start()
        : ExternalDatabase.connect(jdbcUrl, username, password == null ? "" : password)) {
      registerImages(catalog, manifests);
      Rehearsal rehearsal = new Rehearsal(manifests, err, Clock.systemUTC());
      try (OperatorHttpServer http = serveMetrics(rehearsal, err)) {
        result = rehearsal.run(databases, catalog, limit, !noAutoApprove);
      }
    } catch (Manifests.BadManifestException e) {
      err.println("lockstep rehearse: " + e.getMessage());
      return BAD_INPUT;
    }
    if (output.equals("json")) {
      out.println(Serialization.asJson(result));
    } else {
      printSummary(out, result);
    }
    return result.stream().allMatch(m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Succeeded)
        ? ALL_SUCCEEDED
        : NOT_ALL_SUCCEEDED;
  }

  /** With --metrics-port: the operator's registry and probes on localhost, for the rehearsal's length. */
  private OperatorHttpServer serveMetrics(Rehearsal rehearsal, PrintStream err) {
    if (metricsPort == null) {
      return null;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<LocalCluster> cluster = new AtomicReference<>();
    rehearsal.withOperator(new OperatorRuntime(Optional.empty(), Optional.of(registry), () -> {}), cluster::set);
    OperatorHttpServer http = OperatorHttpServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), metricsPort), registry,
        () -> Optional.ofNullable(cluster.get()).flatMap(LocalCluster::operatorState).map(OperatorCommand::probe)
            .orElse(new OperatorHttpServer.Probe(true, false, "the operator has not started")));
    err.println("metrics: http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + http.port() + "/metrics");
    return http;
  }

  /** Scripts images named on the command line; the path inside comes from each migration. */
  private void registerImages(ImageCatalog catalog, Manifests manifests) {
    if (images == null) {
      return;
    }
    for (SchemaMigration m : manifests.migrations()) {
      var image = m.getSpec() == null || m.getSpec().getScripts() == null ? null : m.getSpec().getScripts().getImage();
      if (image != null && images.containsKey(image.getName())) {
        catalog.registerFiles(image.getName(), image.getPath(), images.get(image.getName()));
      }
    }
  }

  private static void printSummary(PrintStream out, List<SchemaMigration> result) {
    for (SchemaMigration m : result) {
      var status = m.getStatus();
      String phase = status == null || status.getPhase() == null ? "not started" : status.getPhase().name();
      String version = status == null || status.getSchemaVersion() == null ? "-" : status.getSchemaVersion();
      out.printf("%-40s %-12s version %-6s %s%n",
          m.getMetadata().getNamespace() + "/" + m.getMetadata().getName(), phase, version,
          status == null || status.getMessage() == null ? "" : status.getMessage());
    }
  }
}
