package dev.lockstep.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store answers a GET of one object and a LIST of one resource from its index; after every kind
 * of write (create, update, status update, merge and JSON patch, delete, delete held by a finalizer,
 * recreate) each answer is the one the stock store's scan of every object gives.
 */
class StoreIndexAnswersTest {

  /** GETs and LISTs whose answers the writes below change; two match objects of two API groups. */
  private static final List<String> PATHS =
      List.of(
          "/api/v1/namespaces/shop/configmaps/scripts",
          "/api/v1/namespaces/billing/configmaps/scripts",
          "/api/v1/namespaces/shop/configmaps/missing",
          "/api/v1/namespaces/shop/configmaps",
          "/api/v1/configmaps",
          "/api/v1/namespaces/shop/configmaps?labelSelector=app%3Dorders",
          "/api/v1/namespaces/shop/configmaps?labelSelector=app%21%3Dorders",
          "/api/v1/namespaces/shop/configmaps?fieldSelector=metadata.name%3Dscripts",
          "/api/v1/namespaces/shop/secrets/db",
          "/api/v1/namespaces/shop/pods/runner",
          "/api/v1/namespaces/shop/pods",
          "/apis/coordination.k8s.io/v1/namespaces/shop/leases/orders-db",
          "/apis/coordination.k8s.io/v1/leases",
          "/api/v1/namespaces/shop/events/started",
          "/apis/events.k8s.io/v1/namespaces/shop/events/started",
          "/api/v1/namespaces/shop/events");

  /** Held so that the quieter level is not lost when the logger is garbage collected. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());

  private FaithfulCrudDispatcher store;
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void startServer() {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    store = new FaithfulCrudDispatcher();
    BuiltInStatusSubresources.register(store);
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
        store, false);
    server.start();
    client = server.createClient();
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  @Test
  void everyAnswerIsTheScansAfterEveryKindOfWrite() {
    assertSameAnswers("empty store");

    client.configMaps().inNamespace("shop").resource(configMap("shop", "orders")).create();
    client.configMaps().inNamespace("billing").resource(configMap("billing", "invoices")).create();
    client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("other")
        .withNamespace("shop").endMetadata().build()).create();
    client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
        .addToStringData("password", "s3cret").build()).create();
    client.leases().inNamespace("shop").resource(new LeaseBuilder().withNewMetadata().withName("orders-db")
        .endMetadata().withNewSpec().withHolderIdentity("m1").endSpec().build()).create();
    client.v1().events().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata().withName("started").endMetadata().withReason("Started").build()).create();
    client.events().v1().events().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.events.v1
        .EventBuilder().withNewMetadata().withName("started").endMetadata().withReason("Pulled").build()).create();
    Pod pod = client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("runner")
        .addToFinalizers("lockstep.dev/test").endMetadata().withNewSpec().addNewContainer().withName("c")
        .withImage("runner").endContainer().endSpec().build()).create();
    assertSameAnswers("after creates");

    ConfigMap scripts = client.configMaps().inNamespace("shop").withName("scripts").get();
    scripts.getData().put("V2__add.sql", "alter table orders add column c int;");
    client.configMaps().inNamespace("shop").resource(scripts).update();
    assertSameAnswers("after an update");

    scripts.getMetadata().setResourceVersion("1");
    assertThatThrownBy(() -> client.configMaps().inNamespace("shop").resource(scripts).update())
        .isInstanceOf(KubernetesClientException.class);
    assertSameAnswers("after a stale update refused");

    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
    client.pods().inNamespace("shop").resource(pod).updateStatus();
    assertSameAnswers("after a status update");

    client.configMaps().inNamespace("shop").withName("scripts")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"app\":\"billing\"}}}");
    client.configMaps().inNamespace("billing").withName("scripts")
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/data/x\",\"value\":\"y\"}]");
    client.leases().inNamespace("shop").withName("orders-db")
        .edit(l -> new LeaseBuilder(l).editSpec().withHolderIdentity("m2").endSpec().build());
    assertSameAnswers("after patches (a label changed, so the stored key changed)");

    client.v1().events().inNamespace("shop").withName("started").delete();
    client.leases().inNamespace("shop").withName("orders-db").delete();
    client.pods().inNamespace("shop").withName("runner").delete();
    assertSameAnswers("after deletes, one held by a finalizer");

    client.pods().inNamespace("shop").withName("runner")
        .edit(p -> new PodBuilder(p).editMetadata().withFinalizers(List.of()).endMetadata().build());
    client.leases().inNamespace("shop").resource(new LeaseBuilder().withNewMetadata().withName("orders-db")
        .endMetadata().withNewSpec().withHolderIdentity("m3").endSpec().build()).create();
    client.v1().events().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata().withName("started").endMetadata().withReason("Again").build()).create();
    assertSameAnswers("after the finalizer went and objects were created again");

    assertThat(client.pods().inNamespace("shop").withName("runner").get()).isNull();
    assertThat(client.leases().inNamespace("shop").withName("orders-db").get().getSpec().getHolderIdentity())
        .isEqualTo("m3");
    assertThat(client.secrets().inNamespace("shop").withName("db").get().getData()).containsKey("password");

    store.reset();
    assertSameAnswers("after a reset");
  }

  private static ConfigMap configMap(String namespace, String app) {
    return new ConfigMapBuilder().withNewMetadata().withName("scripts").withNamespace(namespace)
        .addToLabels("app", app).endMetadata().withData(new HashMap<>(Map.of("V1__init.sql", "select 1;")))
        .build();
  }

  private void assertSameAnswers(String when) {
    for (String path : PATHS) {
      MockResponse indexed = store.handleGet(path);
      MockResponse scanned = store.scannedGet(path);
      assertThat(indexed.code()).as("%s: %s", when, path).isEqualTo(scanned.code());
      assertThat(body(indexed)).as("%s: %s", when, path).isEqualTo(body(scanned));
    }
  }

  private static String body(MockResponse response) {
    return response.getBody() == null ? null : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
  }
}
