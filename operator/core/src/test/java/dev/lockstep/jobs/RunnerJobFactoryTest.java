package dev.lockstep.jobs;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.ScriptsImage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerJobFactoryTest {

  private final RunnerJobFactory factory = new RunnerJobFactory("ghcr.io/lockstep-dev/lockstep:0.1.0", null);

  private static RunnerJobRequest request(SchemaMigration m) {
    return new RunnerJobRequest(m, "expand", RunnerJobRequest.DO, 2, List.of("migrate", "--to", "2"),
        Duration.ofMinutes(15));
  }

  @Test
  void followsTheJobProtocol() {
    Job job = factory.build(request(migration(migrate("expand", "2"))));

    assertThat(job.getMetadata().getName()).isEqualTo("orders-currency-expand-2");
    assertThat(job.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(job.getMetadata().getLabels())
        .containsEntry("lockstep.dev/migration", "orders-currency")
        .containsEntry("lockstep.dev/step", "expand")
        .containsEntry("lockstep.dev/attempt", "2")
        .containsEntry("app.kubernetes.io/managed-by", "lockstep");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getUid()).isEqualTo("uid-1");
      assertThat(o.getKind()).isEqualTo("SchemaMigration");
      assertThat(o.getController()).isTrue();
    });
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("lockstep.dev/step", "expand");
  }

  @Test
  void credentialsComeOnlyFromTheSecret() {
    Container runner = factory.build(request(migration(migrate("expand", "2"))))
        .getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(runner.getArgs()).containsExactly("migrate", "--to", "2");
    assertThat(runner.getEnv()).extracting(EnvVar::getName)
        .containsExactly("LOCKSTEP_DB_URL", "LOCKSTEP_DB_USERNAME", "LOCKSTEP_DB_PASSWORD");
    assertThat(runner.getEnv()).allSatisfy(e -> {
      assertThat(e.getValue()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("orders-db");
    });
    assertThat(runner.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
  }

  @Test
  void scriptsFromAConfigMapAreMountedAsAVolume() {
    var pod = factory.build(request(migration(migrate("expand", "2")))).getSpec().getTemplate().getSpec();

    assertThat(pod.getInitContainers()).isEmpty();
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("scripts")).singleElement()
        .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("orders-migrations"));
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getMountPath()).containsExactly("/lockstep/scripts", "/tmp");
  }

  @Test
  void scriptsFromAnImageAreCopiedOutByAnInitContainer() {
    SchemaMigration m = migration(migrate("expand", "2"));
    m.getSpec().getScripts().setConfigMapRef(null);
    ScriptsImage image = new ScriptsImage();
    image.setName("registry.example.com/orders-migrations:1.4.0");
    image.setPath("/migrations/");
    m.getSpec().getScripts().setImage(image);

    var pod = factory.build(request(m)).getSpec().getTemplate().getSpec();

    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("scripts")).singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(pod.getInitContainers()).singleElement().satisfies(c -> {
      assertThat(c.getImage()).isEqualTo("registry.example.com/orders-migrations:1.4.0");
      assertThat(c.getCommand()).containsExactly("cp", "-R", "/migrations/.", "/lockstep/scripts/");
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    });
  }

  @Test
  void podsAreRestrictedUnmeshedAndSizedAsConfigured() {
    RunnerJobFactory configured = new RunnerJobFactory("ghcr.io/lockstep-dev/lockstep:0.1.0", "lockstep-runner",
        new RunnerPods(Map.of("cpu", "250m", "memory", "300Mi"), Map.of("memory", "600Mi"), List.of("registry-creds"), 3600));
    Job job = configured.build(request(migration(migrate("expand", "2"))));
    var pod = job.getSpec().getTemplate().getSpec();
    Container runner = pod.getContainers().get(0);

    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("sidecar.istio.io/inject", "false")
        .containsEntry("linkerd.io/inject", "disabled");
    assertThat(pod.getServiceAccountName()).isEqualTo("lockstep-runner");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry-creds");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(runner.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(runner.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(runner.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(runner.getResources().getRequests()).containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("300Mi"));
    assertThat(runner.getResources().getLimits()).containsOnlyKeys("memory");
  }

  @Test
  void defaultsMatchTheChart() {
    Job job = factory.build(request(migration(migrate("expand", "2"))));

    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86_400);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
        .containsEntry("memory", new Quantity("512Mi"));
    assertThat(job.getSpec().getTemplate().getSpec().getImagePullSecrets()).isEmpty();
  }

  @Test
  void jobNamesAreDeterministicAndFitInALabel() {
    assertThat(JobNames.forStep("orders", "expand", 1)).isEqualTo("orders-expand-1");
    assertThat(JobNames.forUndo("orders", "expand", 1)).isEqualTo("orders-expand-undo-1");

    String longName = "a-very-long-migration-name-that-goes-on-and-on-and-on-forever";
    String first = JobNames.forStep(longName, "contract-the-schema", 12);
    String again = JobNames.forStep(longName, "contract-the-schema", 12);
    String other = JobNames.forStep(longName + "x", "contract-the-schema", 12);

    assertThat(first).hasSizeLessThanOrEqualTo(63).endsWith("-contract-the-schema-12").isEqualTo(again);
    assertThat(other).isNotEqualTo(first).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void theInspectionJobCopiesTheScriptsLikeAnyRunnerButGetsNoCredentials() {
    SchemaMigration m = migration(migrate("expand", "2"));
    m.getSpec().getScripts().setConfigMapRef(null);
    ScriptsImage image = new ScriptsImage();
    image.setName("registry.example.com/orders-migrations:1.4.0");
    m.getSpec().getScripts().setImage(image);

    Job job = factory.build(RunnerJobRequest.inspection(m, List.of("inspect", "--scripts", "/lockstep/scripts"),
        Duration.ofMinutes(5)));

    assertThat(job.getMetadata().getName())
        .isEqualTo(JobNames.forInspection("orders-currency", image.getName(), "/migrations"))
        .startsWith("orders-currency-inspect-");
    assertThat(job.getMetadata().getLabels()).containsEntry("lockstep.dev/action", "inspect")
        .containsEntry("lockstep.dev/migration", "orders-currency");
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers()).singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo(image.getName()));
    Container runner = pod.getContainers().get(0);
    assertThat(runner.getImage()).isEqualTo("ghcr.io/lockstep-dev/lockstep:0.1.0");
    assertThat(runner.getArgs()).containsExactly("inspect", "--scripts", "/lockstep/scripts");
    assertThat(runner.getEnv()).as("no database, no Secret").isEmpty();
  }

  @Test
  void anInspectionJobNameChangesWithTheImageAndStaysTheSameForIt() {
    String one = JobNames.forInspection("orders", "registry.example.com/m:1", "/migrations");

    assertThat(JobNames.forInspection("orders", "registry.example.com/m:1", "/migrations")).isEqualTo(one);
    assertThat(JobNames.forInspection("orders", "registry.example.com/m:2", "/migrations")).isNotEqualTo(one);
    assertThat(JobNames.forInspection("orders", "registry.example.com/m:1", "/sql")).isNotEqualTo(one);
  }

  @Test
  void aBackfillRunnerDeclaresItsProgressPortAndListensOnItsPodIp() {
    RunnerJobRequest backfill = new RunnerJobRequest(migration(migrate("expand", "2")), "fill", RunnerJobRequest.DO, 1,
        List.of("backfill", "--table", "orders"), Duration.ofMinutes(15)).withProgressPort(RunnerJobFactory.PROGRESS_PORT);

    Container runner = factory.build(backfill).getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(runner.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("progress");
      assertThat(port.getContainerPort()).isEqualTo(RunnerJobFactory.PROGRESS_PORT);
    });
    assertThat(runner.getArgs()).endsWith("--progress-port", Integer.toString(RunnerJobFactory.PROGRESS_PORT));
    assertThat(runner.getEnv()).filteredOn(e -> e.getName().equals("LOCKSTEP_POD_IP")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP"));
    assertThat(factory.build(request(migration(migrate("expand", "2")))).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getPorts()).as("a migrate runner serves nothing").isEmpty();
  }
}
