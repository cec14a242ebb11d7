package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.AnnotationCompatibility;
import dev.lockstep.api.Compatibility;
import dev.lockstep.api.Guards;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import dev.lockstep.world.cluster.LocalCluster;
import dev.lockstep.world.ApiRequestLog;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Counts what the operator asks the API server during one whole rollout: Jobs, Pods, workloads,
 * SchemaMigrations and Leases come from its informers' caches, so after start-up it reads none of
 * them again, however many times it reconciles. Only the Secret is read (one GET per validation)
 * because a Secret informer would need cluster-wide list/watch on Secrets.
 */
class CacheReadsEndToEndTest extends ClusterTest {

  /** Resources the operator must read from its caches only. */
  static final List<String> CACHED = List.of("jobs", "pods", "deployments", "statefulsets", "schemamigrations", "leases");

  @Test
  void aWholeRolloutReadsJobsPodsWorkloadsMigrationsAndLeasesOnlyFromTheCaches() {
    world.secret("orders-db");
    world.scripts("orders-migrations", MigrationEndToEndTest.SCRIPTS);
    world.create(new DeploymentBuilder()
        .withNewMetadata().withName("orders").endMetadata()
        .withNewSpec().withReplicas(2)
        .withNewSelector().addToMatchLabels("app", "orders").endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", "orders").addToAnnotations("lockstep.dev/schema-compat", "1-3").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example/orders:1").endContainer().endSpec()
        .endTemplate().endSpec().build());
    SchemaMigration m = migration(migrate("expand", "2"), soak("soak", "3s"), migrate("fill", "3"));
    Workload orders = new Workload();
    orders.setKind(WorkloadKind.Deployment);
    orders.setName("orders");
    Compatibility compatibility = new Compatibility();
    compatibility.setAnnotation(new AnnotationCompatibility());
    orders.setCompatibility(compatibility);
    m.getSpec().setWorkloads(List.of(orders));
    Guards guards = new Guards();
    guards.setPodsReady(true);
    m.getSpec().setGuards(guards);

    ApiRequestLog log = world.cluster.world().requestLog();
    log.start();
    world.apply(m);
    SchemaMigration done = world.awaitPhase("orders-currency", Phase.Succeeded);
    log.stop();

    assertThat(done.getStatus().getSchemaVersion()).isEqualTo("3");
    Map<String, Long> reads = new LinkedHashMap<>();
    for (String resource : CACHED) {
      reads.put(resource, log.count(r -> operator(r) && r.isRead() && r.addresses(resource)));
    }
    long statusWrites = log.count(r -> operator(r) && "PUT".equals(r.method()) && r.path().endsWith("/status"));
    long secretReads = log.count(r -> operator(r) && r.isRead() && r.addresses("secrets"));
    System.out.printf("one rollout: %d status writes, %d Secret GETs, live reads of cached kinds %s%n",
        statusWrites, secretReads, reads);

    assertThat(statusWrites).as("the rollout reconciled many times").isGreaterThanOrEqualTo(6);
    assertThat(secretReads).as("the Secret is still read, with one GET per validation").isPositive();
    assertThat(reads).as("live GET/LIST requests by resource during the rollout")
        .allSatisfy((resource, count) -> assertThat(count).as(resource).isZero());
  }

  private static boolean operator(ApiRequestLog.Request request) {
    return LocalCluster.OPERATOR_USER_AGENT.equals(request.userAgent());
  }
}
