package dev.lockstep.rehearse.traffic;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Traffic for a workload other than the sample application: HTTP calls listed in a small YAML file,
 * sent in turn, each checked by its status only.
 *
 * <pre>
 * workload: {kind: Deployment, name: web}      # namespace: default unless given
 * port: 8080
 * requests:
 *   - {method: GET, path: /items/1, expect: 200}
 *   - {method: POST, path: /items, body: '{"name": "x"}', expect: 201}
 * </pre>
 */
public final class TrafficFile implements TrafficPlan {

  /** The file as written. */
  public record Spec(WorkloadRef workload, Integer port, List<Call> requests) {}

  public record WorkloadRef(String kind, String name, String namespace) {}

  public record Call(String method, String path, String body, Integer expect) {}

  private final Spec spec;
  private final Duration timeout;

  private TrafficFile(Spec spec, Duration timeout) {
    this.spec = spec;
    this.timeout = timeout;
  }

  /**
   * Reads and checks a traffic file.
   *
   * @throws IllegalArgumentException naming the file and the field when it is not usable
   */
  public static TrafficFile load(Path file, Duration timeout) {
    Spec spec;
    try {
      spec = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(file.toFile(), Spec.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("--traffic-file " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    String where = "--traffic-file " + file + ": ";
    if (spec == null || spec.workload() == null || spec.workload().name() == null) {
      throw new IllegalArgumentException(where + "workload.name is missing (the Deployment or StatefulSet to send to)");
    }
    String kind = spec.workload().kind() == null ? "Deployment" : spec.workload().kind();
    if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
      throw new IllegalArgumentException(where + "workload.kind is " + kind + "; use Deployment or StatefulSet");
    }
    if (spec.port() == null || spec.port() < 1 || spec.port() > 65535) {
      throw new IllegalArgumentException(where + "port is missing or not a port number");
    }
    if (spec.requests() == null || spec.requests().isEmpty()) {
      throw new IllegalArgumentException(where + "requests is empty; list at least one {method, path, expect}");
    }
    for (int i = 0; i < spec.requests().size(); i++) {
      Call call = spec.requests().get(i);
      if (call.method() == null || !List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(call.method())) {
        throw new IllegalArgumentException(where + "requests[" + i + "].method must be GET, POST, PUT, PATCH or DELETE");
      }
      if (call.path() == null || !call.path().startsWith("/")) {
        throw new IllegalArgumentException(where + "requests[" + i + "].path must start with /");
      }
    }
    return new TrafficFile(new Spec(new WorkloadRef(kind, spec.workload().name(),
        spec.workload().namespace() == null ? "default" : spec.workload().namespace()), spec.port(), spec.requests()),
        timeout);
  }

  public WorkloadRef workload() {
    return spec.workload();
  }

  @Override
  public String description() {
    return spec.requests().size() + " calls of a traffic file, in turn";
  }

  @Override
  public PlannedRequest next(long sequence, String podIp) {
    Call call = spec.requests().get((int) (sequence % spec.requests().size()));
    HttpRequest.BodyPublisher body = call.body() == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(call.body());
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + podIp + ":" + spec.port() + call.path()))
        .timeout(timeout).header("Content-Type", "application/json").method(call.method(), body).build();
    int expected = call.expect() == null ? 200 : call.expect();
    return new PlannedRequest(Operation.CALL, request, new PlannedRequest.Judge() {
      @Override
      public FailureKind answered(int status, String answer) {
        return status == expected ? null : OrdersPlan.byStatus(status);
      }

      @Override
      public void unanswered() {}
    });
  }

  @Override
  public WriteCheck verifyWrites(List<String> podIps) {
    return WriteCheck.NOT_CHECKED;
  }
}
