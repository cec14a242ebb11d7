package dev.lockstep.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.DatabaseRef;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A JOSDK operator runs against the world unchanged, once server-side apply is off: it sees a
 * SchemaMigration, patches its status, and sees spec changes as new generations.
 */
class OperatorInTheWorldTest {

  @ControllerConfiguration
  static class ObservingReconciler implements Reconciler<SchemaMigration> {
    @Override
    public UpdateControl<SchemaMigration> reconcile(SchemaMigration migration, Context<SchemaMigration> context) {
      migration.getStatus().setPhase(Phase.Pending);
      migration.getStatus().setObservedGeneration(migration.getMetadata().getGeneration());
      migration.getStatus().setMessage("watching " + migration.getSpec().getDatabase().getName());
      return UpdateControl.patchStatus(migration);
    }
  }

  @Test
  void aJosdkReconcilerPatchesStatusAndFollowsGenerations() {
    try (KubernetesWorld world = KubernetesWorld.start()) {
      KubernetesClient operatorClient = world.newClient();
      Operator operator = new Operator(o -> o.withKubernetesClient(operatorClient)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false));
      operator.register(new ObservingReconciler());
      operator.start();
      try {
        KubernetesClient client = world.newClient();
        SchemaMigration migration = new SchemaMigration();
        migration.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("shop").build());
        SchemaMigrationSpec spec = new SchemaMigrationSpec();
        DatabaseRef database = new DatabaseRef();
        database.setName("orders");
        spec.setDatabase(database);
        migration.setSpec(spec);
        client.resource(migration).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          SchemaMigration seen = client.resources(SchemaMigration.class).inNamespace("shop").withName("orders").get();
          assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Pending);
          assertThat(seen.getStatus().getObservedGeneration()).isEqualTo(1L);
        });

        client.resources(SchemaMigration.class).inNamespace("shop").withName("orders").edit(m -> {
          m.getSpec().getDatabase().setName("billing");
          return m;
        });

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          SchemaMigration seen = client.resources(SchemaMigration.class).inNamespace("shop").withName("orders").get();
          assertThat(seen.getStatus().getObservedGeneration()).isEqualTo(2L);
          assertThat(seen.getStatus().getMessage()).isEqualTo("watching billing");
        });
      } finally {
        operator.stop();
      }
    }
  }
}
