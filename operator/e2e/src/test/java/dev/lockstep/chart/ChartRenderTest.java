package dev.lockstep.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.jobs.JobLabels;
import dev.lockstep.jobs.RunnerJobFactory;
import com.marcnuri.helm.LintResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** helm lint --strict and helm template of helm/lockstep, with the rendered manifests checked. */
class ChartRenderTest {

  @Test
  void lintsStrict() {
    LintResult lint = Chart.helm().lint().strict().call();

    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void declaresTheKubernetesItNeeds() {
    JsonNode chart = Chart.readYaml(Chart.DIR.resolve("Chart.yaml"));

    assertThat(chart.path("kubeVersion").asText()).isEqualTo(">=1.25.0-0");
    assertThat(chart.path("appVersion").asText()).isNotEmpty();
  }

  @Test
  void defaultsRenderAnOperatorWithLeaderElectionOnTwoReplicas() {
    Chart chart = Chart.render();

    JsonNode deployment = chart.one("Deployment");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(chart.env("LOCKSTEP_LEADER_ELECTION")).isEqualTo("true");
    assertThat(chart.env("LOCKSTEP_LEASE_NAME")).isEqualTo("lockstep-leader");
    assertThat(chart.env("WATCH_NAMESPACE")).isEmpty();
    assertThat(chart.env("LOCKSTEP_RUNNER_IMAGE")).isEqualTo("ghcr.io/lockstep-dev/lockstep:0.1.0");
    assertThat(chart.env("LOCKSTEP_RUNNER_REQUESTS")).isEqualTo("cpu=100m,memory=256Mi");
    assertThat(chart.env("LOCKSTEP_RUNNER_LIMITS")).isEqualTo("memory=512Mi");
    assertThat(deployment.at("/spec/template/spec/containers/0/args/0").asText()).isEqualTo("operator");
    assertThat(chart.one("PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(1);
    assertThat(chart.one("Service").at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
    assertThat(chart.ofKind("ServiceMonitor")).isEmpty();
    assertThat(chart.ofKind("PrometheusRule")).isEmpty();
    assertThat(chart.ofKind("NetworkPolicy")).isEmpty();
    assertThat(chart.one("ClusterRole").at("/metadata/name").asText()).isEqualTo("lockstep");
    assertThat(chart.ofKind("Role").map(r -> r.at("/metadata/name").asText())).containsExactly("lockstep-leader-election");
  }

  @Test
  void theOperatorPodIsRestrictedAndProbed() {
    for (String values : new String[] {null, "namespaced.yaml", "minimal.yaml"}) {
      Chart chart = values == null ? Chart.render() : Chart.render(values);
      JsonNode pod = chart.one("Deployment").at("/spec/template/spec");
      JsonNode container = pod.at("/containers/0");

      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
      assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
      assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
      assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
      assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
      assertThat(container.at("/securityContext/capabilities/drop")).extracting(JsonNode::asText).containsExactly("ALL");
      assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
      assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
      assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
      assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
      assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
      assertThat(pod.at("/serviceAccountName").asText()).isEqualTo("lockstep");
    }
  }

  @Test
  void rbacHasNoWildcardAndReadsSecretsOnlyByName() {
    for (String values : new String[] {null, "namespaced.yaml", "monitoring.yaml"}) {
      Chart chart = values == null ? Chart.render() : Chart.render(values);
      List<JsonNode> rules = rules(chart);
      assertThat(rules).isNotEmpty();

      for (JsonNode rule : rules) {
        for (String field : new String[] {"apiGroups", "resources", "verbs", "resourceNames"}) {
          assertThat(texts(rule.path(field))).as("%s of %s", field, rule).doesNotContain("*");
        }
        if (texts(rule.path("resources")).contains("secrets")) {
          assertThat(texts(rule.path("verbs"))).as("verbs on secrets").containsExactly("get");
        }
      }
      assertThat(rules).anySatisfy(r -> assertThat(texts(r.path("resources"))).contains("secrets"));
    }
  }

  @Test
  void watchNamespacesGrantsRolesInThoseNamespacesOnly() {
    Chart chart = Chart.render("namespaced.yaml");

    assertThat(chart.ofKind("ClusterRole")).isEmpty();
    assertThat(chart.ofKind("ClusterRoleBinding")).isEmpty();
    assertThat(chart.ofKind("Role").filter(r -> r.at("/metadata/name").asText().equals("lockstep"))
        .map(r -> r.at("/metadata/namespace").asText())).containsExactlyInAnyOrder("shop", "billing");
    assertThat(chart.ofKind("RoleBinding").filter(r -> r.at("/metadata/name").asText().equals("lockstep"))
        .map(r -> r.at("/subjects/0/namespace").asText())).containsOnly(Chart.NAMESPACE);
    assertThat(chart.env("WATCH_NAMESPACE")).isEqualTo("shop,billing");
    assertThat(chart.env("LOCKSTEP_RUNNER_SERVICE_ACCOUNT")).isEqualTo("lockstep-runner");
  }

  @Test
  void runnerServiceAccountsHaveNoTokenAndNoRole() {
    Chart chart = Chart.render("namespaced.yaml");

    List<JsonNode> runners = chart.ofKind("ServiceAccount")
        .filter(sa -> sa.at("/metadata/name").asText().equals("lockstep-runner")).toList();
    assertThat(runners).extracting(sa -> sa.at("/metadata/namespace").asText()).containsExactlyInAnyOrder("shop", "billing");
    assertThat(runners).allSatisfy(sa -> assertThat(sa.at("/automountServiceAccountToken").asBoolean(true)).isFalse());
    assertThat(chart.ofKind("RoleBinding").flatMap(b -> StreamSupport.stream(b.path("subjects").spliterator(), false))
        .map(s -> s.path("name").asText())).doesNotContain("lockstep-runner");
  }

  @Test
  void monitoringRendersServiceMonitorRulesDashboardAndNetworkPolicy() {
    Chart chart = Chart.render("monitoring.yaml");

    JsonNode monitor = chart.one("ServiceMonitor");
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    assertThat(monitor.at("/spec/endpoints/0/port").asText())
        .isEqualTo(chart.one("Service").at("/spec/ports/0/name").asText());
    JsonNode rules = chart.one("PrometheusRule").at("/spec/groups/0/rules");
    assertThat(rules).extracting(r -> r.path("alert").asText()).containsExactlyInAnyOrder(
        "LockstepMigrationFailed", "LockstepRollback", "LockstepMigrationStuck", "LockstepApprovalWaiting",
        "LockstepLockTimeoutRetriesClimbing", "LockstepNotLeading");
    assertThat(rules).anySatisfy(r -> assertThat(r.path("expr").asText()).contains("> 10800"));  // 3h
    assertThat(rules).anySatisfy(r -> assertThat(r.path("expr").asText()).contains("> 172800")); // 2d
    JsonNode dashboard = chart.one("ConfigMap");
    assertThat(dashboard.at("/data/lockstep.json").asText()).contains("lockstep_step_duration_seconds");
    JsonNode policy = chart.one("NetworkPolicy");
    assertThat(policy.at("/spec/egress/1/to/0/ipBlock/cidr").asText()).isEqualTo("10.0.0.1/32");
    JsonNode progress = policy.at("/spec/egress/2");
    assertThat(progress.at("/ports/0/port").asInt())
        .as("runner pods' progress port, as the Jobs declare it").isEqualTo(RunnerJobFactory.PROGRESS_PORT);
    assertThat(progress.at("/to/0/podSelector/matchLabels").toString())
        .isEqualTo("{\"" + JobLabels.MANAGED_BY + "\":\"" + JobLabels.MANAGER + "\"}");
    assertThat(policy.at("/spec/egress/3/ports/0/port").asInt()).as("probePorts").isEqualTo(8080);
    assertThat(policy.at("/spec/egress")).as("DNS, API server, runner progress, probes: no database port")
        .hasSize(4)
        .noneSatisfy(rule -> assertThat(rule.at("/ports/0/port").asInt()).isIn(5432, 3306));
  }

  @Test
  void minimalValuesLeaveOutMetricsServiceCrdAndLeaderElection() {
    Chart chart = Chart.render("minimal.yaml");

    assertThat(chart.ofKind("Service")).isEmpty();
    assertThat(chart.ofKind("CustomResourceDefinition")).isEmpty();
    assertThat(chart.ofKind("PodDisruptionBudget")).isEmpty();
    assertThat(chart.ofKind("Role")).isEmpty();
    assertThat(chart.env("LOCKSTEP_LEADER_ELECTION")).isEqualTo("false");
    assertThat(chart.one("Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
  }

  @Test
  void schemaRefusesAWrongTypeNamingTheField() {
    assertThatThrownBy(() -> Chart.render("bad-type.yaml"))
        .hasMessageContaining("replicaCount")
        .hasMessageContaining("integer");
  }

  @Test
  void schemaRefusesAnUnknownKeyNamingIt() {
    assertThatThrownBy(() -> Chart.render("bad-key.yaml"))
        .hasMessageContaining("servicemonitor")
        .hasMessageContaining("not allowed");
  }

  private static List<JsonNode> rules(Chart chart) {
    List<JsonNode> rules = new ArrayList<>();
    chart.all().stream().filter(m -> m.path("kind").asText().endsWith("Role"))
        .forEach(role -> role.path("rules").forEach(rules::add));
    return rules;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
