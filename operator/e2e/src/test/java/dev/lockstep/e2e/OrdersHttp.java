package dev.lockstep.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to one pod of the sample application, at its own address, as a Service would send them. */
final class OrdersHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final int PORT = 8080;

  /** A status code and the JSON body. */
  record Answer(int status, JsonNode body) {}

  private OrdersHttp() {}

  static Answer get(String podIp, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(podIp, path)).GET());
  }

  static Answer create(String podIp, String customer, String total) throws IOException, InterruptedException {
    String body = "{\"customer\": \"" + customer + "\", \"total\": \"" + total + "\"}";
    return send(HttpRequest.newBuilder(uri(podIp, "/orders")).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  private static URI uri(String podIp, String path) {
    return URI.create("http://" + podIp + ":" + PORT + path);
  }
}
