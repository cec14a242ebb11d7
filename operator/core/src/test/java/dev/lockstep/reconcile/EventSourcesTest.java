package dev.lockstep.reconcile;

import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import dev.lockstep.cache.FakeCache;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which migrations an informer event wakes: the pod filter that keeps unrelated pods from reconciling. */
class EventSourcesTest {

  private final FakeCache<SchemaMigration> migrations = new FakeCache<>();
  private final FakeCache<Deployment> deployments = new FakeCache<>();
  private final FakeCache<StatefulSet> statefulSets = new FakeCache<>();

  private static SchemaMigration declaring(String name, Phase phase, WorkloadKind kind, String workload) {
    SchemaMigration m = migration();
    m.getMetadata().setName(name);
    m.getMetadata().setUid("uid-" + name);
    Workload w = new Workload();
    w.setKind(kind);
    w.setName(workload);
    m.getSpec().setWorkloads(List.of(w));
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setPhase(phase);
    m.setStatus(status);
    return m;
  }

  private static Pod pod(String namespace, String... labels) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName("p").withNamespace(namespace).endMetadata();
    for (int i = 0; i < labels.length; i += 2) {
      pod.editMetadata().addToLabels(labels[i], labels[i + 1]).endMetadata();
    }
    return pod.build();
  }

  private java.util.Set<ResourceID> woken(Pod pod) {
    return EventSources.migrationsSelecting(pod, migrations, deployments, statefulSets);
  }

  @Test
  void aPodWakesOnlyTheRunningMigrationsWhoseWorkloadSelectsIt() {
    deployments.put(new DeploymentBuilder().withNewMetadata().withName("orders").withNamespace("shop").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "orders").endSelector().endSpec().build());
    statefulSets.put(new StatefulSetBuilder().withNewMetadata().withName("ledger").withNamespace("shop").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "ledger").endSelector().endSpec().build());
    migrations.put(declaring("orders-change", Phase.Progressing, WorkloadKind.Deployment, "orders"));
    migrations.put(declaring("ledger-change", Phase.Progressing, WorkloadKind.StatefulSet, "ledger"));
    migrations.put(declaring("orders-done", Phase.Succeeded, WorkloadKind.Deployment, "orders"));

    assertThat(woken(pod("shop", "app", "orders", "pod-template-hash", "abc")))
        .containsExactly(new ResourceID("orders-change", "shop"));
    assertThat(woken(pod("shop", "app", "ledger"))).containsExactly(new ResourceID("ledger-change", "shop"));
    assertThat(woken(pod("shop", "app", "payments"))).as("an unrelated pod").isEmpty();
    assertThat(woken(pod("shop"))).as("a pod without labels").isEmpty();
    assertThat(woken(pod("elsewhere", "app", "orders"))).as("another namespace").isEmpty();
  }

  @Test
  void aWorkloadNotInTheCacheOrWithAnEmptySelectorWakesNobody() {
    deployments.put(new DeploymentBuilder().withNewMetadata().withName("everything").withNamespace("shop").endMetadata()
        .withNewSpec().withNewSelector().endSelector().endSpec().build());
    migrations.put(declaring("a", Phase.Progressing, WorkloadKind.Deployment, "missing"));
    migrations.put(declaring("b", Phase.Progressing, WorkloadKind.Deployment, "everything"));

    assertThat(woken(pod("shop", "app", "orders"))).isEmpty();
  }

  @Test
  void aLeaseChangeWakesTheMigrationsWaitingForItsDatabase() {
    SchemaMigration queued = declaring("queued", Phase.Queued, WorkloadKind.Deployment, "orders");
    SchemaMigration running = declaring("running", Phase.Progressing, WorkloadKind.Deployment, "orders");
    SchemaMigration otherDatabase = declaring("other", Phase.Queued, WorkloadKind.Deployment, "orders");
    otherDatabase.getSpec().getDatabase().setName("inventory");
    migrations.put(queued).put(running).put(otherDatabase);
    Lease lease = new LeaseBuilder().withNewMetadata().withName("lockstep-db-orders").withNamespace("shop").endMetadata()
        .build();

    assertThat(EventSources.waitingFor(lease, migrations)).containsExactly(new ResourceID("queued", "shop"));
  }
}
