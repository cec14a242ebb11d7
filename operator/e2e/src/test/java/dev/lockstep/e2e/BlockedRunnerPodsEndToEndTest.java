package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.ScriptsImage;
import dev.lockstep.api.ScriptsSource;
import dev.lockstep.world.kubelet.KubeletFaults;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What blocks a runner Job's pod is said in the step's message, not "Job is running" until the
 * deadline: a pod that admission refuses (the Job's FailedCreate Event), and a scripts image that
 * cannot be pulled (the init container's ErrImagePull while the runner waits as PodInitializing).
 */
class BlockedRunnerPodsEndToEndTest extends ClusterTest {

  private String expandMessage() {
    SchemaMigration m = world.get("orders-currency");
    return m.getStatus() == null || m.getStatus().getSteps() == null ? null
        : m.getStatus().getSteps().get(0).getMessage();
  }

  @Test
  void aPodThatAdmissionRefusesIsNamedWithItsFailedCreateEventThenTheStepGoesOn() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", MigrationEndToEndTest.SCRIPTS);
    world.cluster.kubelet().faults().refusePods(KubeletFaults.jobNamed("orders-currency-expand-1"),
        "pods \"orders-currency-expand-1-x7k2p\" is forbidden: violates PodSecurity \"restricted:latest\":"
            + " seccompProfile (pod or container \"runner\" must set securityContext.seccompProfile.type)");
    world.apply(migration(migrate("expand", "2")));

    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(expandMessage())
        .contains("Job orders-currency-expand-1 is running; no pod was created for Job orders-currency-expand-1 in")
        .contains("FailedCreate: Error creating: pods \"orders-currency-expand-1-x7k2p\" is forbidden: violates"
            + " PodSecurity \"restricted:latest\""));

    world.cluster.kubelet().faults().allowPods();
    world.awaitPhase("orders-currency", Phase.Succeeded);
    assertThat(world.appliedVersions()).contains("2");
  }

  @Test
  void aScriptsImageThatCannotBePulledIsNamedWhileTheRunnerWaitsAsPodInitializing() {
    world.secret("orders-db");
    SchemaMigration m = migration(migrate("expand", "2"));
    ScriptsImage image = new ScriptsImage();
    image.setName("registry.example.com/orders-migrations:9.9.9");
    image.setPath("/migrations");
    ScriptsSource scripts = new ScriptsSource();
    scripts.setImage(image);
    m.getSpec().setScripts(scripts);
    world.apply(m);

    // Scripts from an image are first read by the inspection Job at validation: it is the first to meet
    // the image, and what blocks it is in the migration's message while validation waits.
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(world.get("orders-currency").getStatus())
        .isNotNull().extracting(s -> s.getMessage()).asString()
        .contains("inspecting the scripts in image registry.example.com/orders-migrations:9.9.9")
        .contains("init container copy-scripts (it copies the scripts out of spec.scripts.image) cannot start, so the"
            + " runner waits (PodInitializing): ErrImagePull: failed to pull image"
            + " \"registry.example.com/orders-migrations:9.9.9\""));
    assertThat(world.client.pods().inNamespace(ClusterFixture.NAMESPACE).list().getItems())
        .filteredOn(p -> p.getMetadata().getName().startsWith("orders-currency-inspect-"))
        .singleElement().satisfies(p -> assertThat(p.getStatus().getContainerStatuses()).singleElement()
            .satisfies(s -> assertThat(s.getState().getWaiting().getReason()).isEqualTo("PodInitializing")));
  }
}
