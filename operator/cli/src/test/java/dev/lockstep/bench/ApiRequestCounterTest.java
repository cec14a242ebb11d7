package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ApiRequestCounterTest {

  @Test
  void namesRequestsByVerbAndResourceAsKubernetesDoes() {
    assertThat(key("GET", "/apis/batch/v1/namespaces/bench/jobs/m00001-v2-1")).isEqualTo("get jobs");
    assertThat(key("GET", "/apis/batch/v1/namespaces/bench/jobs?labelSelector=x")).isEqualTo("list jobs");
    assertThat(key("GET", "/apis/batch/v1/namespaces/bench/jobs?resourceVersion=5&watch=true")).isEqualTo("watch jobs");
    assertThat(key("POST", "/apis/batch/v1/namespaces/bench/jobs")).isEqualTo("create jobs");
    assertThat(key("PATCH", "/apis/lockstep.dev/v1alpha1/namespaces/bench/schemamigrations/m00001/status"))
        .isEqualTo("patch schemamigrations/status");
    assertThat(key("PUT", "/apis/coordination.k8s.io/v1/namespaces/bench/leases/lockstep-db-db-1"))
        .isEqualTo("update leases");
    assertThat(key("GET", "/api/v1/namespaces/bench/secrets/bench-db")).isEqualTo("get secrets");
    assertThat(key("GET", "/api/v1/pods?watch=true")).isEqualTo("watch pods");
    assertThat(key("DELETE", "/apis/coordination.k8s.io/v1/namespaces/bench/leases/x")).isEqualTo("delete leases");
  }

  private static String key(String method, String path) {
    return ApiRequestCounter.key(method, URI.create("http://127.0.0.1:1" + path));
  }
}
