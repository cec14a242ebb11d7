package dev.lockstep.gates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.AnnotationCompatibility;
import dev.lockstep.api.Compatibility;
import dev.lockstep.api.HttpCompatibility;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Asking one pod, over real HTTP on loopback and from its annotations. */
class CompatibilityProbesTest {

  /**
   * Generous for pods that answer: the first request in a JVM loads the HTTP client's classes, which
   * can take a while on a busy build machine.
   */
  private final CompatibilityProbes probes = new CompatibilityProbes(
      new HttpCompatibilityProbe(Duration.ofSeconds(10)), new AnnotationCompatibilityProbe());
  /** Short, for pods that never answer, so that those cases stay quick. */
  private final CompatibilityProbe impatient = new HttpCompatibilityProbe(Duration.ofMillis(400));
  private final ScriptedEndpoint endpoint = new ScriptedEndpoint();

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private static Pod pod(String name, String ip, Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("shop").withAnnotations(annotations).endMetadata()
        .withNewStatus().withPodIP(ip).endStatus()
        .build();
  }

  private Pod endpointPod() {
    return pod("orders-7d9f-abcde", endpoint.host(), null);
  }

  private static Compatibility http(int port, String path) {
    HttpCompatibility http = new HttpCompatibility();
    http.setPort(port);
    if (path != null) {
      http.setPath(path);
    }
    Compatibility compatibility = new Compatibility();
    compatibility.setHttp(http);
    return compatibility;
  }

  private static Compatibility annotation(String key) {
    AnnotationCompatibility annotation = new AnnotationCompatibility();
    if (key != null) {
      annotation.setKey(key);
    }
    Compatibility compatibility = new Compatibility();
    compatibility.setAnnotation(annotation);
    return compatibility;
  }

  private Reading<SchemaRange> ask(Pod pod, Compatibility compatibility) {
    return probes.ask(pod, compatibility).join();
  }

  private String url(String path) {
    return "http://" + endpoint.host() + ":" + endpoint.port() + path;
  }

  @Test
  void aPodAnswersItsRangeOnTheDefaultPath() {
    endpoint.answer(200, "{\"schema\": {\"min\": \"1\", \"max\": \"3\"}}");

    Reading<SchemaRange> answer = ask(endpointPod(), http(endpoint.port(), null));

    assertThat(answer.problem()).isNull();
    assertThat(answer.value()).hasToString("1-3");
    assertThat(endpoint.lastPath()).isEqualTo("/lockstep/compat");
  }

  @Test
  void theConfiguredPathIsAsked() {
    endpoint.answer(200, "{\"schema\": {\"min\": \"2\", \"max\": \"2\"}}");

    Reading<SchemaRange> answer = ask(endpointPod(), http(endpoint.port(), "/internal/schema"));

    assertThat(answer.problem()).isNull();
    assertThat(answer.value()).hasToString("2");
    assertThat(endpoint.lastPath()).isEqualTo("/internal/schema");
  }

  @Test
  void anAnswerOtherThan200IsNoAnswerAndShowsTheBody() {
    endpoint.answer(503, "starting up\n");

    Reading<SchemaRange> answer = ask(endpointPod(), http(endpoint.port(), null));

    assertThat(answer.ok()).isFalse();
    assertThat(answer.problem()).isEqualTo("orders-7d9f-abcde (" + endpoint.host() + "): GET "
        + url("/lockstep/compat") + " answered 503: starting up");
  }

  @Test
  void aMalformedDocumentIsNoAnswerAndSaysWhatWasExpected() {
    endpoint.answer(200, "{\"schemaVersion\": 3}");

    Reading<SchemaRange> answer = ask(endpointPod(), http(endpoint.port(), null));

    assertThat(answer.problem()).isEqualTo("orders-7d9f-abcde (" + endpoint.host() + "): GET "
        + url("/lockstep/compat") + " answered 200, but the body has no \"schema\" object: {\"schemaVersion\": 3};"
        + " expected {\"schema\": {\"min\": \"1\", \"max\": \"3\"}}");
  }

  @Test
  void aBodyThatIsNotJsonIsNoAnswer() {
    endpoint.answer(200, "<html><body>Whitelabel Error Page</body></html>");

    Reading<SchemaRange> answer = ask(endpointPod(), http(endpoint.port(), null));

    assertThat(answer.problem()).contains("answered 200, but the body is not JSON")
        .contains("<html><body>Whitelabel Error Page</body></html>");
  }

  @Test
  void aLongBodyIsShortenedInTheMessage() {
    endpoint.answer(500, "x".repeat(5000));

    Reading<SchemaRange> answer = ask(endpointPod(), http(endpoint.port(), null));

    assertThat(answer.problem()).endsWith("answered 500: " + "x".repeat(200) + "…");
  }

  @Test
  void aPodWithNothingListeningIsUnreachable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Reading<SchemaRange> answer = ask(endpointPod(), http(closedPort, null));

    assertThat(answer.problem()).isEqualTo("orders-7d9f-abcde (" + endpoint.host() + "): GET http://"
        + endpoint.host() + ":" + closedPort + "/lockstep/compat: connection refused by " + endpoint.host() + ":"
        + closedPort + ": nothing listens on that port (check compatibility.http.port and that the application"
        + " serves the endpoint), or a NetworkPolicy rejects the operator");
    assertThat(answer.timedOut()).as("a refusal is a no, not unknown").isFalse();
  }

  @Test
  void aPodThatAcceptsAndNeverAnswersTimesOut() {
    endpoint.silence();

    Reading<SchemaRange> answer = impatient.ask(endpointPod(), http(endpoint.port(), null)).join();

    assertThat(answer.problem()).isEqualTo("orders-7d9f-abcde (" + endpoint.host() + "): GET "
        + url("/lockstep/compat") + ": no answer within 400ms (unknown: the pod may be busy; a gate waits, a guard"
        + " does not count it as a breach)");
    assertThat(answer.timedOut()).as("a late answer is unknown").isTrue();
    assertThat(endpoint.requests()).isEqualTo(1);
  }

  @Test
  void aPodThatStopsAfterTheHeadersTimesOut() {
    endpoint.stallAfterHeaders();

    Reading<SchemaRange> answer = impatient.ask(endpointPod(), http(endpoint.port(), null)).join();

    assertThat(answer.problem()).contains(": no answer within 400ms (unknown");
    assertThat(answer.timedOut()).isTrue();
  }

  @Test
  void aPodWithoutAnIpCannotBeAsked() {
    Reading<SchemaRange> answer = ask(pod("orders-7d9f-fghjk", null, null), http(8080, null));

    assertThat(answer.problem()).isEqualTo("orders-7d9f-fghjk: has no pod IP to ask");
  }

  @Test
  void theAnnotationFormReadsTheDefaultKey() {
    Pod pod = pod("reporting-0", "127.0.1.9", Map.of("lockstep.dev/schema-compat", "2-4"));

    assertThat(ask(pod, annotation(null)).value()).hasToString("2-4");
  }

  @Test
  void theAnnotationFormReadsAConfiguredKey() {
    Pod pod = pod("reporting-0", "127.0.1.9",
        Map.of("lockstep.dev/schema-compat", "1-1", "example.com/schema", "1.9-1.10"));

    assertThat(ask(pod, annotation("example.com/schema")).value()).hasToString("1.9-1.10");
  }

  @Test
  void aMissingAnnotationSaysWhereToAddIt() {
    Pod pod = pod("reporting-0", "127.0.1.9", null);

    assertThat(ask(pod, annotation(null)).problem()).isEqualTo("reporting-0 (127.0.1.9): has no annotation"
        + " lockstep.dev/schema-compat; add it to the pod template, e.g. lockstep.dev/schema-compat: \"1-3\"");
  }

  @Test
  void aMalformedAnnotationSaysWhatIsWrong() {
    Pod pod = pod("reporting-0", "127.0.1.9", Map.of("lockstep.dev/schema-compat", "3-1"));

    assertThat(ask(pod, annotation(null)).problem()).isEqualTo("reporting-0 (127.0.1.9): annotation"
        + " lockstep.dev/schema-compat: \"3-1\" is not a schema range (the lower end 3 is above the upper end 1);"
        + " write one such as \"1-3\"");
  }

  @Test
  void theFacadeAsksOverHttpOnlyWhenTheWorkloadSaysHttp() {
    endpoint.answer(200, "{\"schema\": {\"min\": \"5\", \"max\": \"6\"}}");
    Pod pod = pod("orders-1", endpoint.host(), Map.of("lockstep.dev/schema-compat", "1-2"));

    assertThat(ask(pod, http(endpoint.port(), null)).value()).hasToString("5-6");
    assertThat(ask(pod, annotation(null)).value()).hasToString("1-2");
    assertThat(endpoint.requests()).isEqualTo(1);
    assertThat(ask(pod, new Compatibility()).problem())
        .isEqualTo("orders-1 (" + endpoint.host() + "): its workload declares no compatibility, so there is nothing to ask");
  }
}
