package dev.lockstep.world;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An in-process Kubernetes API server: fabric8's mock server in CRUD mode on a free loopback port,
 * with the project's CRD applied. Clients made here talk to it over real HTTP and watches.
 *
 * <p>It behaves like kube-apiserver where controllers depend on it (generation, resourceVersion
 * conflicts, the status subresource, watches by label) and not at all where a cluster's other
 * controllers would act (no garbage collection, no admission, no validation): see docs/world.md.
 */
public final class KubernetesWorld implements AutoCloseable {

  /** The SchemaMigration CRD, written into the jar by the crd-generator plugin at build time. */
  public static final String LOCKSTEP_CRD = "META-INF/fabric8/schemamigrations.lockstep.dev-v1.yml";

  /** The namespace new clients use when a call names none. */
  public static final String DEFAULT_NAMESPACE = "default";

  // MockWebServer logs every request at INFO through java.util.logging; a hard reference keeps
  // the level set here from being lost when the logger is garbage collected.
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());

  private final MockWebServer http;
  private final KubernetesMockServer server;
  private final ApiFaults faults = new ApiFaults();
  private final OperatorKills kills = new OperatorKills();
  private final ApiRequestLog requestLog = new ApiRequestLog();
  private final KubernetesClient client;
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();
  private final RbacRequestLog operatorRequests;

  private KubernetesWorld() {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    http = new MockWebServer();
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    FaithfulCrudDispatcher store = new FaithfulCrudDispatcher();
    BuiltInStatusSubresources.register(store);
    WorldDispatcher dispatcher = new WorldDispatcher(faults, kills, requestLog, expectations, store);
    // The server keeps every request it received for takeRequest(); nobody here reads them, so
    // they are dropped as they come instead of piling up during a long rehearsal.
    dispatcher.afterEachRequest(this::dropRecordedRequests);
    operatorRequests = dispatcher.operatorRequests();
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()), http, expectations, dispatcher, false);
    // The simulated controllers write what Kubernetes 1.31 writes; the server says it is that version.
    server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("31").withGitVersion("v1.31.0")
        .withPlatform("linux/amd64").build());
    server.start(InetAddress.getLoopbackAddress(), 0);
    client = newClient();
  }

  /** Starts an API server that knows the SchemaMigration CRD. */
  public static KubernetesWorld start() {
    KubernetesWorld world = new KubernetesWorld();
    try {
      world.applyCrdFromClasspath(LOCKSTEP_CRD);
    } catch (RuntimeException e) {
      world.close();
      throw e;
    }
    return world;
  }

  /** Starts an API server with no CRDs at all. */
  public static KubernetesWorld startEmpty() {
    return new KubernetesWorld();
  }

  /** The world's own client; closed with the world. */
  public KubernetesClient client() {
    return client;
  }

  /** A new client of its own (the operator under test, the test itself); closed with the world. */
  public KubernetesClient newClient() {
    return newClient(UnaryOperator.identity());
  }

  /**
   * A new client whose configuration the caller may adjust, e.g. {@code c ->
   * c.withRequestRetryBackoffLimit(0)} to see injected API errors instead of having them retried.
   */
  public KubernetesClient newClient(UnaryOperator<ConfigBuilder> customizer) {
    KubernetesClient created =
        new KubernetesClientBuilder().withConfig(customizer.apply(baseConfig()).build()).build();
    clients.add(created);
    return created;
  }

  /**
   * A client for the operator: its requests are recorded in {@link #operatorRequests()}, for the
   * test that checks them against the chart's RBAC rules.
   */
  public KubernetesClient newOperatorClient() {
    return newOperatorClient(RbacRequestLog.OPERATOR_AGENT);
  }

  /**
   * A client for one incarnation of the operator, with a User-Agent that starts with {@link
   * RbacRequestLog#OPERATOR_AGENT}: after a hard kill the new operator gets a new one, so that the
   * killed one's requests can be refused while the new one's are served.
   */
  public KubernetesClient newOperatorClient(String userAgent) {
    if (!userAgent.startsWith(RbacRequestLog.OPERATOR_AGENT)) {
      throw new IllegalArgumentException("an operator's User-Agent starts with " + RbacRequestLog.OPERATOR_AGENT);
    }
    return newClient(c -> c.withUserAgent(userAgent));
  }

  /** Every distinct request the operator's clients made. */
  public RbacRequestLog operatorRequests() {
    return operatorRequests;
  }

  /** The configuration a client of this API server needs (no kubeconfig, no credentials). */
  public Config clientConfig() {
    return baseConfig().build();
  }

  private ConfigBuilder baseConfig() {
    return new ConfigBuilder(Config.empty())
        .withAutoConfigure(false)
        .withMasterUrl(apiUrl())
        .withNamespace(DEFAULT_NAMESPACE)
        // The mock server speaks HTTP/1.1; the JDK client would otherwise try an h2c upgrade.
        .withHttp2Disable(true);
  }

  /** The API server's base URL, e.g. {@code http://127.0.0.1:41234/}. */
  public String apiUrl() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort() + "/";
  }

  /** What the API server was asked, while a test records ({@link ApiRequestLog#start()}). */
  public ApiRequestLog requestLog() {
    return requestLog;
  }

  /** Error injection for the API server. */
  public ApiFaults apiFaults() {
    return faults;
  }

  /** Hard kills of the operator at chosen requests. */
  public OperatorKills operatorKills() {
    return kills;
  }

  /**
   * Records a canned answer ({@code expect().get().withPath(...).andReturn(...).once()}): it is
   * served instead of the CRUD store for exactly that method and path (query string included), for
   * as many times as recorded; then the store answers again.
   */
  public MockServerExpectation expect() {
    return server.expect();
  }

  /** Applies a CRD from a YAML resource on the classpath, so the store knows its plural and subresources. */
  public CustomResourceDefinition applyCrdFromClasspath(String resource) {
    ClassLoader loader = KubernetesWorld.class.getClassLoader();
    try (InputStream yaml = loader.getResourceAsStream(resource)) {
      if (yaml == null) {
        throw new IllegalStateException(
            "CRD " + resource + " is not on the classpath: run the build (mvn process-classes) first");
      }
      return applyCrd(Serialization.unmarshal(yaml, CustomResourceDefinition.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRD " + resource, e);
    }
  }

  /** Creates or replaces a CRD. */
  public CustomResourceDefinition applyCrd(CustomResourceDefinition crd) {
    return client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(c -> c.update());
  }

  private void dropRecordedRequests() {
    try {
      while (http.takeRequest(0, TimeUnit.NANOSECONDS) != null) {
        // discard
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    server.shutdown();
  }
}
