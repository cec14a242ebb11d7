package dev.lockstep.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the CRD as a template (Helm never upgrades a chart's crds/ directory), reading a
 * copy of crds/ kept in helm/lockstep/files/crds. Both must stay what the API classes generate:
 * {@code mvn -pl operator process-classes -Pupdate-crds} writes both.
 */
class ChartCrdTest {

  static final String FILE = "schemamigrations.lockstep.dev-v1.yml";

  @Test
  void chartCopyIsTheCheckedInCrd() throws IOException {
    assertThat(Files.readString(Chart.DIR.resolve("files/crds").resolve(FILE)))
        .as("helm/lockstep/files/crds/%s differs from crds/%s; run mvn -pl operator process-classes -Pupdate-crds",
            FILE, FILE)
        .isEqualTo(Files.readString(Path.of("../../crds", FILE)));
  }

  @Test
  void renderedCrdIsTheCheckedInCrdPlusLabelsAndKeep() {
    JsonNode rendered = Chart.render().one("CustomResourceDefinition");
    ObjectNode metadata = (ObjectNode) rendered.path("metadata");

    assertThat(metadata.at("/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
    assertThat(metadata.at("/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("Helm");
    metadata.remove("annotations");
    metadata.remove("labels");
    JsonNode checkedIn = Chart.readYaml(Path.of("../../crds", FILE));
    // Helm's toYaml writes 1.0 as 1: numbers are compared by value, everything else exactly.
    Comparator<JsonNode> sameValue = (a, b) -> a.isNumber() && b.isNumber()
        ? Double.compare(a.doubleValue(), b.doubleValue()) : (a.equals(b) ? 0 : 1);
    assertThat(rendered.equals(sameValue, checkedIn))
        .as("the rendered CRD is crds/%s (plus labels and keep); rendered:%n%s", FILE, rendered.toPrettyString())
        .isTrue();
  }
}
