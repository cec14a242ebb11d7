package dev.lockstep.world.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.world.KubernetesWorld;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A container's environment, resolved from the API as the kubelet resolves it. */
class EnvironmentResolverTest {

  private static KubernetesWorld world;
  private static EnvironmentResolver resolver;

  @BeforeAll
  static void start() {
    world = KubernetesWorld.startEmpty();
    resolver = new EnvironmentResolver(world.client());
    world.client().resource(new SecretBuilder().withNewMetadata().withName("db").withNamespace("env").endMetadata()
        .addToData("password", Base64.getEncoder().encodeToString("from-data".getBytes()))
        .addToData("user", Base64.getEncoder().encodeToString("app".getBytes()))
        .build()).create();
    world.client().resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("env")
        .endMetadata().addToData("MODE", "canary").addToData("PORT", "8080").build()).create();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("env").withUid("u-1")
        .addToLabels("app", "orders").endMetadata()
        .withNewSpec().withNodeName(SimulatedKubelet.NODE_NAME).endSpec()
        .withNewStatus().withPodIP("127.0.1.7").endStatus().build();
  }

  @Test
  void envFromComesFirstThenEnvInOrderWithReferencesAndPodFields() throws Exception {
    Container container = new ContainerBuilder().withName("app")
        .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("settings").endConfigMapRef().endEnvFrom()
        .addNewEnv().withName("CFG_MODE").withValue("overridden").endEnv()
        .addNewEnv().withName("URL").withValue("http://$(POD_IP):$(CFG_PORT)/$(LATER)").endEnv()
        .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef()
        .endValueFrom().endEnv()
        .addNewEnv().withName("URL2").withValue("http://$(POD_IP):$(CFG_PORT)").endEnv()
        .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef().withName("db").withKey("password")
        .endSecretKeyRef().endValueFrom().endEnv()
        .build();

    Map<String, String> env = resolver.resolve(pod(), container);

    assertThat(env).containsEntry("CFG_MODE", "overridden")
        .containsEntry("CFG_PORT", "8080")
        // A reference resolves only to variables defined before it.
        .containsEntry("URL", "http://$(POD_IP):8080/$(LATER)")
        .containsEntry("URL2", "http://127.0.1.7:8080")
        .containsEntry("APP", "orders")
        .containsEntry("PASSWORD", "from-data");
  }

  @Test
  void missingReferencesFailWithKubeletMessagesUnlessOptional() {
    Container missingKey = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom()
        .withNewConfigMapKeyRef().withName("settings").withKey("NOPE").endConfigMapKeyRef().endValueFrom().endEnv()
        .build();
    assertThatThrownBy(() -> resolver.resolve(pod(), missingKey))
        .isInstanceOfSatisfying(ContainerConfigException.class, e -> {
          assertThat(e.reason()).isEqualTo("CreateContainerConfigError");
          assertThat(e.getMessage()).isEqualTo("couldn't find key NOPE in ConfigMap env/settings");
        });

    Container missingMap = new ContainerBuilder().withName("c").addNewEnvFrom().withNewConfigMapRef()
        .withName("absent").endConfigMapRef().endEnvFrom().build();
    assertThatThrownBy(() -> resolver.resolve(pod(), missingMap)).hasMessage("configmap \"absent\" not found");

    Container optional = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom()
        .withNewSecretKeyRef().withName("absent").withKey("k").withOptional(true).endSecretKeyRef().endValueFrom()
        .endEnv().build();
    assertThat(assertResolves(optional)).doesNotContainKey("X");
  }

  private static Map<String, String> assertResolves(Container container) {
    try {
      return resolver.resolve(pod(), container);
    } catch (ContainerConfigException e) {
      throw new AssertionError(e);
    }
  }
}
