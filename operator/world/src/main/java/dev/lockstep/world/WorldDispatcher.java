package dev.lockstep.world;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.util.Map;
import java.util.Queue;

/**
 * Routes each request of the mock API server: injected faults first, then recorded expectations
 * ({@code server.expect()}, which also serves {@code /version}), then the CRUD store. Every request
 * goes to the request log first, which keeps it only while a test records.
 */
final class WorldDispatcher extends Dispatcher implements CustomResourceAware {

  private final ApiFaults faults;
  private final ApiRequestLog log;
  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final MockDispatcher expectationDispatcher;
  private final KubernetesCrudDispatcher store;
  private Runnable afterEachRequest = () -> {};
  private final RbacRequestLog operatorRequests = new RbacRequestLog(RbacRequestLog.OPERATOR_AGENT);

  WorldDispatcher(
      ApiFaults faults,
      ApiRequestLog log,
      Map<ServerRequest, Queue<ServerResponse>> expectations,
      KubernetesCrudDispatcher store) {
    this.faults = faults;
    this.log = log;
    this.expectations = expectations;
    this.expectationDispatcher = new MockDispatcher(expectations);
    this.store = store;
  }

  /** Runs after each request; the world uses it to drain the server's request log. */
  void afterEachRequest(Runnable action) {
    this.afterEachRequest = action;
  }

  /** Requests of the operator's clients (User-Agent {@link RbacRequestLog#OPERATOR_AGENT}), in RBAC's terms. */
  RbacRequestLog operatorRequests() {
    return operatorRequests;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    operatorRequests.record(request);
    try {
      log.record(request);
      return faults.answer(request).or(() -> SelfRulesReviews.answer(request)).orElseGet(() -> route(request));
    } finally {
      afterEachRequest.run();
    }
  }

  private MockResponse route(RecordedRequest request) {
    Queue<ServerResponse> expected =
        expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
    if (expected != null && !expected.isEmpty()) {
      return expectationDispatcher.dispatch(request);
    }
    return store.dispatch(request);
  }

  @Override
  public void expectCustomResource(CustomResourceDefinitionContext context) {
    store.expectCustomResource(context);
  }

  @Override
  public void shutdown() {
    expectationDispatcher.shutdown();
    store.shutdown();
  }
}
