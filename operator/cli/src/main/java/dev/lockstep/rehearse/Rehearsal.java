package dev.lockstep.rehearse;

import dev.lockstep.world.cluster.Manifests;

import dev.lockstep.world.cluster.LocalCluster;
import dev.lockstep.reconcile.OperatorRuntime;
import java.util.function.Consumer;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.world.database.DatabaseLogin;
import dev.lockstep.world.database.DatabaseServer;
import dev.lockstep.world.kubelet.ImageCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rehearses a directory of manifests: applies them to a local cluster whose Secrets reach a
 * rehearsal database, runs the real operator until every SchemaMigration reaches a terminal phase
 * or time runs out, and prints a timeline of what happened.
 */
public final class Rehearsal {

  /** How often the rehearsal looks at the migrations to print the timeline. */
  private static final Duration POLL = Duration.ofMillis(200);

  private final Manifests manifests;
  private final PrintStream timelineOut;
  private final Clock clock;
  private OperatorRuntime runtime = OperatorRuntime.alone();
  private Consumer<LocalCluster> started = cluster -> {};

  public Rehearsal(Manifests manifests, PrintStream timelineOut, Clock clock) {
    this.manifests = manifests;
    this.timelineOut = timelineOut;
    this.clock = clock;
  }

  /**
   * Runs the operator with {@code runtime} (a metrics registry, for {@code --metrics-port}) and
   * tells {@code started} about the cluster once the operator runs.
   */
  public Rehearsal withOperator(OperatorRuntime operatorRuntime, Consumer<LocalCluster> onStarted) {
    this.runtime = operatorRuntime;
    this.started = onStarted;
    return this;
  }

  /**
   * Runs the rehearsal on {@code databases}.
   *
   * @param images scripts images and workload images the kubelet can run
   * @return what happened: the migrations as they ended, the bands of the timeline, the traffic's figures
   */
  public RehearsalResult run(DatabaseServer databases, ImageCatalog images, RehearsalOptions options)
      throws InterruptedException {
    Map<String, String> secretsToDatabases = secretsToDatabases(manifests.migrations());
    TrafficTarget target = options.trafficRate() > 0
        ? TrafficTarget.find(manifests, options.trafficFile(), options.requestTimeout())
        : null;
    Instant start = clock.instant();
    Timeline timeline = new Timeline(timelineOut, start);
    RolloutTrack track = new RolloutTrack(start);
    try (LocalCluster cluster = LocalCluster.start(databases, images);
        RehearsalPrometheus prometheus = new RehearsalPrometheus()) {
      prometheus.adopt(manifests.migrations()).forEach(note -> timeline.note(clock.instant(), "rehearsal", note));
      KubernetesClient client = cluster.client();
      apply(client, databases, secretsToDatabases, timeline);
      Injector injector = new Injector(options.injections(), cluster, prometheus, timeline);
      injector.arm(clock.instant());
      RehearsalTraffic traffic = target == null ? null
          : RehearsalTraffic.start(target, client, track::current, start, options, timeline, clock);
      if (traffic != null) {
        prometheus.failureRatio(() -> traffic.failureRatio(clock.instant()));
      }
      cluster.startOperator(runtime);
      started.accept(cluster);
      Instant deadline = start.plus(options.timeout());
      boolean timedOut = false;
      List<SchemaMigration> current = read(client);
      while (true) {
        Instant now = clock.instant();
        timeline.observe(current, now);
        track.observe(current, now);
        injector.observe(current, now);
        if (current.stream().allMatch(Rehearsal::finished)) {
          break;
        }
        if (!now.isBefore(deadline)) {
          timeline.note(now, "rehearsal", "timed out after " + options.timeout().toSeconds() + "s; stopping");
          timedOut = true;
          break;
        }
        if (options.autoApprove()) {
          approveWaiting(client, current, timeline, now);
        }
        Thread.sleep(POLL.toMillis());
        current = read(client);
      }
      var trafficReport = traffic == null ? null : traffic.finish(timeline);
      Instant end = clock.instant();
      List<RehearsalResult.InjectedFault> injected = injector.fired().stream()
          .map(f -> new RehearsalResult.InjectedFault(f.injection().toString(), f.injection().migration(),
              Duration.between(start, f.at()).toMillis() / 1000.0, f.what()))
          .toList();
      return new RehearsalResult(current, FinalResources.read(client, manifests), track.bands(end), injected,
          trafficReport, Duration.between(start, end).toMillis() / 1000.0, timedOut);
    }
  }

  /** Whether a migration has reached a phase it stays in without a person. */
  public static boolean finished(SchemaMigration m) {
    return m.getStatus() != null && m.getStatus().getPhase() != null && m.getStatus().getPhase().isTerminal();
  }

  /**
   * Which database each referenced Secret must reach. One Secret serving two different databases
   * cannot be rewritten for both, so that is refused.
   */
  private static Map<String, String> secretsToDatabases(List<SchemaMigration> migrations) {
    Map<String, String> secrets = new LinkedHashMap<>();
    for (SchemaMigration m : migrations) {
      var db = m.getSpec() == null ? null : m.getSpec().getDatabase();
      if (db == null || db.getName() == null || db.getSecretRef() == null || db.getSecretRef().getName() == null) {
        continue; // the operator's validation reports it, as it would in a cluster
      }
      String key = m.getMetadata().getNamespace() + "/" + db.getSecretRef().getName();
      String previous = secrets.putIfAbsent(key, db.getName());
      if (previous != null && !previous.equals(db.getName())) {
        throw new Manifests.BadManifestException("Secret " + key + " is used for database " + previous
            + " and for database " + db.getName() + "; give each database its own Secret");
      }
    }
    return secrets;
  }

  private void apply(KubernetesClient client, DatabaseServer databases, Map<String, String> secretsToDatabases,
      Timeline timeline) {
    Set<String> namespaces = new LinkedHashSet<>();
    manifests.resources().forEach(r -> namespaces.add(r.getMetadata().getNamespace()));
    for (String namespace : namespaces) {
      Namespace ns = new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build();
      if (client.namespaces().withName(namespace).get() == null) {
        client.namespaces().resource(ns).create();
      }
    }
    Map<String, DatabaseLogin> logins = new HashMap<>();
    Set<String> written = new LinkedHashSet<>();
    List<HasMetadata> ordered = new ArrayList<>(manifests.resources());
    // Migrations last, as kubectl apply of a directory in waves would: what they refer to exists first.
    ordered.sort(Comparator.comparing(r -> r instanceof SchemaMigration));
    for (HasMetadata resource : ordered) {
      String key = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
      if (resource instanceof Secret secret && secretsToDatabases.containsKey(key)) {
        DatabaseLogin login = logins.computeIfAbsent(secretsToDatabases.get(key), databases::database);
        resource = login.toSecret(secret.getMetadata().getNamespace(), secret.getMetadata().getName());
        written.add(key);
        timeline.note(clock.instant(), key, "Secret rewritten to reach rehearsal database "
            + secretsToDatabases.get(key));
      }
      client.resource(resource).create();
    }
    for (Map.Entry<String, String> missing : secretsToDatabases.entrySet()) {
      if (!written.contains(missing.getKey())) {
        String[] ns = missing.getKey().split("/", 2);
        DatabaseLogin login = logins.computeIfAbsent(missing.getValue(), databases::database);
        client.resource(login.toSecret(ns[0], ns[1])).create();
        timeline.note(clock.instant(), missing.getKey(), "Secret created to reach rehearsal database "
            + missing.getValue() + " (it was not among the manifests)");
      }
    }
  }

  private List<SchemaMigration> read(KubernetesClient client) {
    List<SchemaMigration> current = new ArrayList<>();
    for (SchemaMigration m : manifests.migrations()) {
      SchemaMigration live = client.resources(SchemaMigration.class)
          .inNamespace(m.getMetadata().getNamespace()).withName(m.getMetadata().getName()).get();
      current.add(live == null ? m : live);
    }
    return current;
  }

  private static void approveWaiting(KubernetesClient client, List<SchemaMigration> current, Timeline timeline,
      Instant now) {
    for (SchemaMigration m : current) {
      if (m.getStatus() == null || m.getStatus().getPhase() != Phase.WaitingForApproval) {
        continue;
      }
      String step = m.getStatus().getCurrentStep();
      Map<String, String> annotations = m.getMetadata().getAnnotations();
      String approved = annotations == null ? null : annotations.get(Annotations.APPROVE);
      if (approved != null && List.of(approved.split(",")).contains(step)) {
        continue;
      }
      String value = approved == null || approved.isBlank() ? step : approved + "," + step;
      client.resources(SchemaMigration.class).inNamespace(m.getMetadata().getNamespace())
          .withName(m.getMetadata().getName())
          .edit(live -> {
            Map<String, String> edited = new HashMap<>();
            if (live.getMetadata().getAnnotations() != null) {
              edited.putAll(live.getMetadata().getAnnotations());
            }
            edited.put(Annotations.APPROVE, value);
            live.getMetadata().setAnnotations(edited);
            return live;
          });
      timeline.note(now, m.getMetadata().getNamespace() + "/" + m.getMetadata().getName(),
          "approved step " + step + " (rehearsal approves every step; --no-auto-approve to stop)");
    }
  }
}
