package dev.lockstep.e2e;

import static dev.lockstep.e2e.ClusterFixture.NAMESPACE;
import static dev.lockstep.e2e.OrdersExample.DEPLOYMENT;
import static dev.lockstep.e2e.OrdersExample.DUAL_WRITE;
import static dev.lockstep.e2e.OrdersExample.FEATURE_FLAG;
import static dev.lockstep.e2e.OrdersExample.FLAGS_KEY;
import static dev.lockstep.e2e.OrdersExample.MIGRATION;
import static dev.lockstep.e2e.OrdersExample.READ_CENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.world.cluster.OpenFeatureResources;
import dev.lockstep.world.kubelet.KubeletFaults;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * examples/orders end to end: the operator walks the sample application's schema from {@code total}
 * to {@code total_cents} (expand, dual writes, fill, a 10% read canary, the read switch, contract),
 * while two pods of the application serve synthetic traffic and must answer every request correctly.
 * Once with the flags in a FeatureFlag (served by the simulated flagd sidecar), once in a ConfigMap
 * (mounted as a file), and once failing at the contract, which must put every flag back as it was.
 */
class FlagsEndToEndTest extends ClusterTest {

  /** The seeded orders of V1: ids 1 to 1000, the synthetic targeting keys of the read canary. */
  private static final int SEEDED_ORDERS = 1000;

  OrdersTraffic traffic;

  /** Runs before the cluster stops (JUnit runs a subclass's @AfterEach first). */
  @AfterEach
  void stopTraffic() throws Exception {
    if (traffic != null) {
      traffic.close();
    }
  }

  @Test
  void withAFeatureFlagTheAppDualWritesThenReadsTheNewColumnWhileServingThroughout() throws Exception {
    OrdersExample example = new OrdersExample();
    servingAtVersion1(example, example.workload());
    world.apply(example.migration());

    walkWithChecks();

    SchemaMigration done = world.get(MIGRATION);
    assertThat(done.getStatus().getFlags().get(DUAL_WRITE).getRemovableFromCode()).isTrue();
    assertThat(done.getStatus().getFlags().get(READ_CENTS).getRemovableFromCode()).isTrue();
    assertThat(defaultVariants(flagSpec(featureFlag())))
        .containsExactlyInAnyOrderEntriesOf(Map.of(DUAL_WRITE, "on", READ_CENTS, "on"));
  }

  @Test
  void withAConfigMapTheAppDualWritesThenReadsTheNewColumnWhileServingThroughout() throws Exception {
    OrdersExample example = new OrdersExample();
    servingAtVersion1(example, example.workloadWithConfigMapFlags());
    world.apply(example.migrationWithConfigMapFlags());

    walkWithChecks();

    String document = world.client.configMaps().inNamespace(NAMESPACE).withName(FEATURE_FLAG).get()
        .getData().get(FLAGS_KEY);
    assertThat(defaultVariants(document)).containsExactlyInAnyOrderEntriesOf(Map.of(DUAL_WRITE, "on", READ_CENTS, "on"));
  }

  @Test
  void aFailedContractRollsBackAndRestoresEveryFlagDefinitionExactly() throws Exception {
    OrdersExample example = new OrdersExample();
    servingAtVersion1(example, example.workload());
    String before = flagSpec(featureFlag());
    world.cluster.kubelet().faults().failNextJob(KubeletFaults.jobNamed(MIGRATION + "-contract-1"),
        "the runner crashed (a fault injected by the test)");
    world.apply(example.migration());

    world.awaitApprovalOf(MIGRATION, "read-cents");
    world.approve(MIGRATION, "read-cents");
    world.awaitApprovalOf(MIGRATION, "contract");
    assertThat(flagSpec(featureFlag())).isNotEqualTo(before);
    world.approve(MIGRATION, "contract");
    SchemaMigration rolledBack = world.awaitPhase(MIGRATION, Phase.RolledBack);

    assertThat(flagSpec(featureFlag())).isEqualTo(before);
    // A runner that crashed left no result, so what it committed is not known: its step is undone
    // too (to where it started; here nothing was above that), not left as it was.
    assertThat(rolledBack.getStatus().getSteps()).extracting(StepStatus::getState).containsOnly(StepState.RolledBack);
    assertThat(world.appliedVersions()).containsExactly("1");
    assertThat(world.columns("orders")).containsExactly("id", "customer", "total", "created_at");
    awaitCompat("1", "3");
    assertThat(shareReadFromTotalCents(1, 200)).isZero();
    assertServedWithoutFailure();
  }

  /**
   * Follows the example's migration to the end, approving its two steps, and checks at each stage
   * what the application does.
   */
  private void walkWithChecks() throws Exception {
    // The canary: 10% of targeting keys read total_cents. The operator checked 2,000 synthetic keys
    // of its own (within 5 standard deviations: ±3.4 points); the app's own answers for the 1,000
    // seeded orders must split the same way, within ±4 points (about 4 standard deviations).
    SchemaMigration canary = world.awaitApprovalOf(MIGRATION, "read-cents");
    FlagStatus read = canary.getStatus().getFlags().get(READ_CENTS);
    assertThat(read.getPercent()).isEqualTo(10);
    assertThat(read.getObservedShare()).isCloseTo(0.10, within(0.034));
    awaitCompat("3", "3");
    assertThat(shareReadFromTotalCents(1, SEEDED_ORDERS)).isCloseTo(0.10, within(0.04));
    world.approve(MIGRATION, "read-cents");

    // The read switch: every answer comes from total_cents, and every row has it: the fill gave it to
    // the rows before, dual writes to every row written since.
    SchemaMigration switched = world.awaitApprovalOf(MIGRATION, "contract");
    awaitCompat("3", "4");
    assertThat(shareReadFromTotalCents(1, 200)).isEqualTo(1.0);
    Instant filled = Instant.parse(step(switched, "fill").getFinishedAt()).plusSeconds(1);
    List<List<Object>> writtenSinceFill = world.query("SELECT count(*), count(total_cents) FROM orders"
        + " WHERE created_at > '" + filled + "'");
    assertThat((Long) writtenSinceFill.get(0).get(0)).as("orders written since the fill").isPositive();
    assertThat(writtenSinceFill.get(0).get(1)).as("of which with total_cents").isEqualTo(writtenSinceFill.get(0).get(0));
    assertThat(world.query("SELECT count(*) FROM orders WHERE total_cents IS DISTINCT FROM (total * 100)::bigint"))
        .containsExactly(List.of(0L));
    world.approve(MIGRATION, "contract");

    world.awaitPhase(MIGRATION, Phase.Succeeded);
    assertThat(world.appliedVersions()).containsExactly("1", "2", "2.1", "3", "4");
    assertThat(world.columns("orders")).containsExactly("id", "customer", "created_at", "total_cents");
    await().atMost(Duration.ofSeconds(30)).until(() -> world.readyPodIps(DEPLOYMENT).size() == 2);
    assertThat(shareReadFromTotalCents(1, 200)).isEqualTo(1.0);
    assertServedWithoutFailure();
  }

  /**
   * The example's pods, ready at schema version 1 (the app's starting point, the example's first
   * migration), with traffic flowing.
   */
  private void servingAtVersion1(OrdersExample example, List<HasMetadata> workload) {
    world.secret("orders-db");
    workload.forEach(world::create);
    world.apply(example.create());
    world.awaitPhase(OrdersExample.CREATE, Phase.Succeeded);
    await().atMost(Duration.ofSeconds(60)).until(() -> world.readyPodIps(DEPLOYMENT).size() == 2);
    traffic = OrdersTraffic.start(world.client, NAMESPACE, DEPLOYMENT);
  }

  private void assertServedWithoutFailure() {
    assertThat(traffic.failures()).as("failed requests").isEmpty();
    assertThat(traffic.roundsWithoutEndpoints()).as("rounds with no ready pod").isZero();
    assertThat(traffic.requests()).as("requests served").isGreaterThan(100);
  }

  /** Waits until every ready pod answers the compatibility probe with this range. */
  private void awaitCompat(String min, String max) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<String> pods = world.readyPodIps(DEPLOYMENT);
      assertThat(pods).hasSize(2);
      for (String pod : pods) {
        var schema = OrdersHttp.get(pod, "/lockstep/compat").body().path("schema");
        assertThat(schema.path("min").asText() + "-" + schema.path("max").asText()).as(pod).isEqualTo(min + "-" + max);
      }
    });
  }

  /**
   * Reads orders {@code from} to {@code to} (each its own targeting key), spread over the ready pods, and
   * returns the share of answers that came from total_cents. Every read must succeed.
   */
  private double shareReadFromTotalCents(int from, int to) throws Exception {
    List<String> pods = world.readyPodIps(DEPLOYMENT);
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> sources = new ArrayList<>();
      for (int id = from; id <= to; id++) {
        String pod = pods.get(id % pods.size());
        String path = "/orders/" + id;
        sources.add(readers.submit(() -> {
          OrdersHttp.Answer answer = OrdersHttp.get(pod, path);
          assertThat(answer.status()).as("GET " + path + " on " + pod + ": " + answer.body()).isEqualTo(200);
          return answer.body().path("source").asText();
        }));
      }
      int fromCents = 0;
      for (Future<String> source : sources) {
        fromCents += source.get().equals("total_cents") ? 1 : 0;
      }
      return fromCents / (double) sources.size();
    } finally {
      readers.shutdownNow();
    }
  }

  private GenericKubernetesResource featureFlag() {
    return world.client.genericKubernetesResources(OpenFeatureResources.FEATURE_FLAG).inNamespace(NAMESPACE)
        .withName(FEATURE_FLAG).get();
  }

  /** The FeatureFlag's spec as JSON text, in the order its members are stored. */
  private static String flagSpec(GenericKubernetesResource featureFlag) {
    return Serialization.asJson(featureFlag.getAdditionalProperties().get("spec"));
  }

  /** Each flag's default variant in a flagd document, or in a FeatureFlag's spec. */
  private static Map<String, String> defaultVariants(String json) {
    JsonNode root = Serialization.unmarshal(json, JsonNode.class);
    JsonNode flags = root.has("flagSpec") ? root.path("flagSpec").path("flags") : root.path("flags");
    Map<String, String> variants = new TreeMap<>();
    flags.fields().forEachRemaining(flag -> variants.put(flag.getKey(), flag.getValue().path("defaultVariant").asText()));
    return variants;
  }

  private static StepStatus step(SchemaMigration m, String name) {
    return m.getStatus().getSteps().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }
}
