package dev.lockstep.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.reconcile.LeaderElection;
import dev.lockstep.reconcile.OperatorRuntime;
import dev.lockstep.world.cluster.LocalCluster;
import dev.lockstep.world.cluster.Manifests;
import dev.lockstep.rehearse.Rehearsal;
import dev.lockstep.world.RbacRequestLog;
import dev.lockstep.world.RbacRequestLog.Request;
import dev.lockstep.world.database.EmbeddedDatabase;
import dev.lockstep.world.kubelet.ImageCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RBAC proven, not guessed: the operator rolls out examples/orders (FeatureFlag flags, HTTP
 * compatibility gates, a backfill, approvals, the database lease) and a migration that rolls back
 * (ConfigMap flags restored, an undo Job), leading by a Lease, while the test world records every
 * request its clients make. Every request must be allowed by the rules the chart renders, and every
 * verb the chart grants must have been used or be listed below with the reason.
 */
class RbacAgainstRequestsTest {

  /** Granted, but not exercised by the test world, each with why it is needed on a real cluster. */
  static final Map<String, String> GRANTED_UNEXERCISED = Map.of(
      "lockstep.dev schemamigrations/finalizers update",
      "Jobs carry blockOwnerDeletion: with owner-reference permission enforcement (OpenShift) creating"
          + " them needs update on the owner's finalizers; the in-process API server does not check it",
      " events list",
      "a runner Job with no pod for 15s has its FailedCreate Events listed to say why (Pod Security admission,"
          + " a quota); the rehearsals here create every pod at once (BlockedRunnerPodsEndToEndTest exercises it)");

  /** Granted and exercised only when a rehearsal runs long enough: not required to show up here. */
  static final Map<String, String> GRANTED_USED_IN_LONGER_RUNS = Map.of(
      "coordination.k8s.io leases update",
      "a database's Lease is renewed every 15 s while its migration runs (and an expired one taken over by an"
          + " update); a rehearsal whose migrations each end within 15 s renews none (KubernetesDatabaseLeasesTest and the"
          + " soak exercise it)");

  /** Requests every authenticated user may make through Kubernetes' default roles. */
  static final Set<String> DEFAULT_ROLES = Set.of(
      "authorization.k8s.io selfsubjectrulesreviews create", // system:basic-user: JOSDK checks its Lease rights
      "get /version");                                        // system:public-info-viewer

  static final String ROLLBACK_MIGRATION = """
      apiVersion: lockstep.dev/v1alpha1
      kind: SchemaMigration
      metadata: {name: shop-rollback}
      spec:
        database: {name: shop, secretRef: {name: shop-db}}
        scripts: {configMapRef: {name: shop-migrations}}
        flagSource: {configMap: {name: shop-flags}}
        steps:
          - {name: create, migrate: {to: "1"}}
          - {name: dual-write, flags: [{flag: shop-dual-write, variant: "on"}]}
          - {name: broken, migrate: {to: "2"}}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: shop-migrations}
      data:
        V1__create_items.sql: CREATE TABLE items (id bigserial PRIMARY KEY, name text);
        U1__create_items.sql: DROP TABLE items;
        V2__broken.sql: SELECT * FROM no_such_table;
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: shop-flags}
      data:
        flags.flagd.json: '{"flags": {"shop-dual-write": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}}}'
      """;

  static EmbeddedDatabase postgres;

  @TempDir static Path dir;

  @BeforeAll
  static void startPostgres() {
    postgres = EmbeddedDatabase.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  /** Rehearses {@code manifests} with a leading operator; returns what its clients asked the API server. */
  private static List<Request> rehearse(Path manifests, int expectSucceeded) throws Exception {
    AtomicReference<RbacRequestLog> log = new AtomicReference<>();
    LeaderElection election = new LeaderElection("lockstep-leader", Chart.NAMESPACE, "lockstep-0",
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofMillis(500));
    Rehearsal rehearsal = new Rehearsal(Manifests.load(manifests),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.systemUTC())
        .withOperator(new OperatorRuntime(Optional.of(election), Optional.empty(), () -> {}),
            (LocalCluster cluster) -> log.set(cluster.world().operatorRequests()));
    List<SchemaMigration> result = rehearsal.run(postgres, new ImageCatalog(),
        dev.lockstep.rehearse.RehearsalOptions.plain(Duration.ofMinutes(8), true)).migrations();
    assertThat(result.stream().filter(m -> m.getStatus().getPhase().name().equals("Succeeded")).count())
        .as("phases: %s", result.stream().map(m -> m.getMetadata().getName() + "=" + m.getStatus().getPhase()).toList())
        .isEqualTo(expectSucceeded);
    return log.get().requests();
  }

  @Test
  void everyRequestIsAllowedAndEveryGrantIsUsed() throws Exception {
    Path rollback = dir.resolve("rollback");
    Files.createDirectories(rollback);
    Files.writeString(rollback.resolve("all.yaml"), ROLLBACK_MIGRATION);
    List<Request> requests = new ArrayList<>(rehearse(Path.of("../../examples/orders"), 2));
    requests.addAll(rehearse(rollback, 0));

    Chart chart = Chart.render();
    List<Rule> rules = new ArrayList<>();
    chart.ofKind("ClusterRole").forEach(role -> role.path("rules").forEach(r -> rules.add(Rule.of(r, null))));
    chart.ofKind("Role").forEach(role -> role.path("rules").forEach(
        r -> rules.add(Rule.of(r, role.at("/metadata/namespace").asText()))));

    Set<String> denied = new TreeSet<>();
    Set<String> used = new TreeSet<>();
    for (Request request : requests) {
      if (DEFAULT_ROLES.contains(key(request))) {
        continue;
      }
      List<Rule> allowing = rules.stream().filter(r -> r.allows(request)).toList();
      if (allowing.isEmpty()) {
        denied.add(request.toString());
      }
      used.add(key(request));
    }
    assertThat(denied).as("requests the chart's RBAC does not allow").isEmpty();

    Set<String> granted = new TreeSet<>();
    rules.forEach(r -> r.keys().forEach(granted::add));
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(used);
    unused.removeAll(GRANTED_USED_IN_LONGER_RUNS.keySet());
    assertThat(granted).as("grants that only longer runs exercise are granted").containsAll(
        GRANTED_USED_IN_LONGER_RUNS.keySet());
    assertThat(unused).as("verbs granted but never used, and not listed with a reason")
        .isEqualTo(GRANTED_UNEXERCISED.keySet());
  }

  private static String key(Request request) {
    return request.nonResource() ? request.verb() + " " + request.resource()
        : request.group() + " " + request.resource() + " " + request.verb();
  }

  /** One PolicyRule, and where it applies: everywhere (ClusterRole) or in one namespace (Role). */
  private record Rule(List<String> groups, List<String> resources, List<String> verbs, List<String> names,
      String namespace) {

    static Rule of(JsonNode rule, String namespace) {
      return new Rule(texts(rule.path("apiGroups")), texts(rule.path("resources")), texts(rule.path("verbs")),
          texts(rule.path("resourceNames")), namespace);
    }

    boolean allows(Request r) {
      if (r.nonResource()) {
        return false;
      }
      boolean byName = names.isEmpty()
          || (!r.name().isEmpty() && names.contains(r.name()) && !Set.of("create", "list", "watch").contains(r.verb()));
      return groups.contains(r.group()) && resources.contains(r.resource()) && verbs.contains(r.verb()) && byName
          && (namespace == null || namespace.equals(r.namespace()));
    }

    List<String> keys() {
      List<String> keys = new ArrayList<>();
      for (String g : groups) {
        for (String res : resources) {
          for (String v : verbs) {
            keys.add(g + " " + res + " " + v);
          }
        }
      }
      return keys;
    }

    private static List<String> texts(JsonNode array) {
      List<String> texts = new ArrayList<>();
      array.forEach(n -> texts.add(n.asText()));
      return texts;
    }
  }
}
