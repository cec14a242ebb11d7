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
import dev.lockstep.rehearse.Injection;
import dev.lockstep.rehearse.OperatorLog;
import dev.lockstep.world.cluster.Manifests;
import dev.lockstep.rehearse.Rehearsal;
import dev.lockstep.rehearse.RehearsalOptions;
import dev.lockstep.rehearse.RehearsalResult;
import dev.lockstep.rehearse.report.HtmlReport;
import dev.lockstep.rehearse.report.RehearsalJson;
import dev.lockstep.rehearse.report.TrafficTable;
import dev.lockstep.world.database.DatabaseServer;
import dev.lockstep.world.database.EmbeddedDatabase;
import dev.lockstep.world.database.ExternalDatabase;
import dev.lockstep.world.kubelet.ImageCatalog;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
      "(embedded unless --jdbc-url is given). Prints the timeline on stderr; with --traffic, sends",
      "requests to the workload meanwhile and prints what they felt. The operator's own log goes to a",
      "file (--log) unless --verbose.",
      "Exit 0 when every migration ended as expected (Succeeded; RolledBack after an injected fault)",
      "and no request failed and no write was lost or wrong, 1 otherwise, 2 on bad input."
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

  @Option(names = "--output", defaultValue = "text", description = "text or json (one object on stdout: the rehearsal's figures and the final resources). Default: ${DEFAULT-VALUE}.")
  String output;

  @Option(names = "--metrics-port",
      description = "Serve /metrics, /healthz and /readyz of the rehearsal's operator on this port, on localhost.")
  Integer metricsPort;

  @Option(names = "--no-auto-approve", negatable = false,
      description = "Leave steps that need approval waiting (the rehearsal then times out on them).")
  boolean noAutoApprove;

  @Option(names = "--traffic", paramLabel = "RATE", defaultValue = "0",
      description = "Send RATE requests per second to the workload while the rollout runs (0: none).")
  int trafficRate;

  @Option(names = "--traffic-file", paramLabel = "FILE",
      description = "The HTTP calls to send, for a workload that is not the sample application (README).")
  Path trafficFile;

  @Option(names = "--request-timeout", defaultValue = "5s",
      description = "A synthetic request unanswered this long counts as timed out. Default: ${DEFAULT-VALUE}.")
  String requestTimeout;

  @Option(names = "--inject", paramLabel = "KIND@STEP",
      description = "Inject a fault to rehearse the rollback: fail@STEP (its Job fails), unready@STEP (a pod"
          + " stops being ready after it), prometheus@STEP (the Prometheus guard breaches after it),"
          + " undo-fail@STEP (its undo Job fails). Repeatable.")
  List<String> inject;

  @Option(names = "--report", paramLabel = "FILE.html",
      description = "Write a self-contained HTML report: the timeline, the traffic's charts, the tables.")
  Path report;

  @Option(names = "--log", paramLabel = "FILE",
      description = "Where the operator's own log goes (default: a temporary file, named at the end).")
  Path log;

  @Option(names = "--verbose", negatable = false,
      description = "Print the operator's own log on stderr, between the timeline's lines, instead of to a file.")
  boolean verbose;

  @Option(names = "--image", split = ",", paramLabel = "IMAGE=DIR",
      description = "Where the scripts of a scripts image are: IMAGE=DIR makes DIR the image's scripts path.")
  Map<String, Path> images;

  @Override
  public Integer call() throws Exception {
    PrintStream out = root.environment().out();
    PrintStream err = root.environment().err();
    RehearsalOptions options;
    Manifests manifests;
    try {
      if (!output.equals("text") && !output.equals("json")) {
        throw new IllegalArgumentException("--output is \"" + output + "\"; use text or json");
      }
      if (trafficRate < 0) {
        throw new IllegalArgumentException("--traffic is " + trafficRate + "; give requests per second, or 0 for none");
      }
      if (trafficFile != null && trafficRate == 0) {
        throw new IllegalArgumentException("--traffic-file needs --traffic RATE");
      }
      manifests = Manifests.load(directory);
      options = new RehearsalOptions(Durations.parse(timeout, "--timeout"), !noAutoApprove, trafficRate, trafficFile,
          Durations.parse(requestTimeout, "--request-timeout"),
          Injection.parse(inject == null ? List.of() : inject, manifests.migrations()));
      if (report != null && report.getParent() != null && !Files.isDirectory(report.getParent())) {
        throw new IllegalArgumentException("--report " + report + ": the directory " + report.getParent() + " does not exist");
      }
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
    RehearsalResult result;
    Path logFile = verbose ? null : log != null ? log : Files.createTempFile("lockstep-rehearse-", ".log");
    try (OperatorLog redirected = logFile == null ? null : OperatorLog.toFile(logFile);
        DatabaseServer databases = jdbcUrl == null
            ? EmbeddedDatabase.start()
            : ExternalDatabase.connect(jdbcUrl, username, password == null ? "" : password)) {
      registerImages(catalog, manifests);
      Rehearsal rehearsal = new Rehearsal(manifests, err, Clock.systemUTC());
      try (OperatorHttpServer http = serveMetrics(rehearsal, err)) {
        result = rehearsal.run(databases, catalog, options);
      }
    } catch (Manifests.BadManifestException | IllegalArgumentException e) {
      err.println("lockstep rehearse: " + e.getMessage());
      return BAD_INPUT;
    }
    Outcome outcome = Outcome.of(result, options.injections());
    if (report != null) {
      Files.writeString(report, HtmlReport.render(result, outcome.text()));
    }
    if (output.equals("json")) {
      if (result.traffic() != null) {
        TrafficTable.print(err, result.traffic());
      }
      out.println(RehearsalJson.of(result, outcome.text(), logFile).toPrettyString());
    } else {
      if (result.traffic() != null) {
        out.println();
        TrafficTable.print(out, result.traffic());
      }
      out.println();
      printSummary(out, result.migrations());
    }
    err.println("lockstep rehearse: " + outcome.text()
        + (report == null ? "" : "; report: " + report)
        + (logFile == null ? "" : "; operator log: " + logFile));
    return outcome == Outcome.AS_EXPECTED ? ALL_SUCCEEDED : NOT_ALL_SUCCEEDED;
  }

  /** How a rehearsal ended, as the exit code and the JSON say it. */
  enum Outcome {
    AS_EXPECTED("every migration ended as expected and no request failed"),
    MIGRATIONS_NOT_AS_EXPECTED("a migration did not end as expected"),
    REQUESTS_FAILED("every migration ended as expected, but requests failed or writes were lost"),
    TIMED_OUT("timed out");

    private final String text;

    Outcome(String text) {
      this.text = text;
    }

    String text() {
      return text;
    }

    /**
     * Without faults every migration must succeed; a migration with an injected fault must roll back
     * (RolledBack), or stop at Failed when its undo was made to fail too.
     */
    static Outcome of(RehearsalResult result, List<Injection> injections) {
      if (result.timedOut()) {
        return TIMED_OUT;
      }
      for (SchemaMigration m : result.migrations()) {
        String id = m.getMetadata().getNamespace() + "/" + m.getMetadata().getName();
        Phase expected = expected(id, injections);
        if (m.getStatus() == null || m.getStatus().getPhase() != expected) {
          return MIGRATIONS_NOT_AS_EXPECTED;
        }
      }
      var traffic = result.traffic();
      boolean clean = traffic == null || traffic.total().failed() == 0
          && traffic.writes().lost() == 0 && traffic.writes().wrong() == 0;
      return clean ? AS_EXPECTED : REQUESTS_FAILED;
    }

    static Phase expected(String migration, List<Injection> injections) {
      List<Injection.Kind> kinds = injections.stream().filter(i -> i.migration().equals(migration))
          .map(Injection::kind).toList();
      if (kinds.contains(Injection.Kind.UNDO_FAIL)) {
        return Phase.Failed;
      }
      return kinds.isEmpty() ? Phase.Succeeded : Phase.RolledBack;
    }
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
