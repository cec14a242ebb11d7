package dev.lockstep.gates;

import dev.lockstep.api.Durations;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Instant queries through Prometheus' HTTP API: {@code GET <url>/api/v1/query?query=...}. */
public final class HttpPrometheusQuery implements PrometheusQuery {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Longer than the probes': a query may scan a lot of data, but a reconcile must not hang on it. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);

  private final Duration queryTimeout;
  private final HttpClient http;

  public HttpPrometheusQuery() {
    this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_QUERY_TIMEOUT);
  }

  public HttpPrometheusQuery(Duration connectTimeout, Duration queryTimeout) {
    this.queryTimeout = queryTimeout;
    this.http = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  @Override
  public Reading<Double> value(String url, String query) {
    String who = "Prometheus at " + url + ": query `" + Texts.shortened(query, Texts.SHOWN) + "`";
    URI uri;
    try {
      uri = URI.create(stripSlash(url) + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Reading.failed(who + ": the URL is not valid: " + e.getMessage());
    }
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(queryTimeout)
        .header("Accept", "application/json")
        .GET()
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return PrometheusAnswer.read(who, response.statusCode(), response.body());
    } catch (HttpConnectTimeoutException e) {
      return Reading.failed(who + ": unreachable: connect timed out");
    } catch (HttpTimeoutException e) {
      return Reading.failed(who + ": no answer within " + Durations.format(queryTimeout));
    } catch (ConnectException e) {
      return Reading.failed(who + ": unreachable: " + (e.getMessage() == null ? "connection refused" : e.getMessage()));
    } catch (IOException e) {
      return Reading.failed(who + ": unreachable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reading.failed(who + ": interrupted while waiting for the answer");
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
