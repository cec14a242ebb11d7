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
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;

/**
 * Routes each request of the mock API server: a killed operator's requests are refused, injected
 * faults come first, then recorded expectations ({@code server.expect()}, which also serves {@code
 * /version}), then the CRUD store. Every answered request goes to the request log, which keeps it
 * only while a test records, and may fire a kill point ({@link OperatorKills}).
 */
final class WorldDispatcher extends Dispatcher implements CustomResourceAware {

  private final ApiFaults faults;
  private final OperatorKills kills;
  private final ApiRequestLog log;
  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final MockDispatcher expectationDispatcher;
  private final KubernetesCrudDispatcher store;
  private Runnable afterEachRequest = () -> {};
  private final RbacRequestLog operatorRequests = new RbacRequestLog(RbacRequestLog.OPERATOR_AGENT);

  WorldDispatcher(
      ApiFaults faults,
      OperatorKills kills,
      ApiRequestLog log,
      Map<ServerRequest, Queue<ServerResponse>> expectations,
      KubernetesCrudDispatcher store) {
    this.faults = faults;
    this.kills = kills;
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
    try {
      if (kills.refuses(request)) {
        return OperatorKills.refusal(); // a killed operator sends nothing: nothing is carried out or recorded
      }
      operatorRequests.record(request);
      String body = RequestBodies.text(request); // read first: the store consumes it
      Answer answer = answer(request);
      log.record(request, body, answer.response().code(), answer.carriedOut());
      kills.answered(request, body, answer.response());
      return faults.tracked(request, answer.response());
    } finally {
      afterEachRequest.run();
    }
  }

  /** What the client is answered, and whether the store carried the request out (answered 2xx). */
  private record Answer(MockResponse response, boolean carriedOut) {}

  private Answer answer(RecordedRequest request) {
    Optional<ApiFaults.Claim> fault = faults.claim(request);
    if (fault.isPresent() && !fault.get().carriedOut()) {
      return new Answer(fault.get().answer(), false);
    }
    MockResponse response = SelfRulesReviews.answer(request).orElseGet(() -> routeOrRefuse(request));
    boolean carriedOut = response.code() >= 200 && response.code() < 300;
    return new Answer(fault.map(ApiFaults.Claim::answer).orElse(response), carriedOut);
  }

  /**
   * The store's answer; a request the store cannot apply (a JSON Patch whose path does not exist in
   * the object, for one) is answered 422 as kube-apiserver answers it, instead of leaving the client
   * without an answer until its timeout.
   */
  private MockResponse routeOrRefuse(RecordedRequest request) {
    try {
      return route(request);
    } catch (RuntimeException e) {
      Map<String, Object> status = new java.util.LinkedHashMap<>();
      status.put("apiVersion", "v1");
      status.put("kind", "Status");
      status.put("status", "Failure");
      status.put("message", "the server rejected the request: " + e.getMessage());
      status.put("reason", "Invalid");
      status.put("code", 422);
      return new MockResponse().setResponseCode(422).setBody(Serialization.asJson(status));
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
