package dev.lockstep.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        .isEqualTo(Files.readString(Path.of("../crds", FILE)));
  }

  @Test
  void renderedCrdIsTheCheckedInCrdPlusLabelsAndKeep() {
    JsonNode rendered = Chart.render().one("CustomResourceDefinition");
    ObjectNode metadata = (ObjectNode) rendered.path("metadata");

    assertThat(metadata.at("/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
    assertThat(metadata.at("/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("Helm");
    metadata.remove("annotations");
    metadata.remove("labels");
    assertThat(rendered).isEqualTo(Chart.readYaml(Path.of("../crds", FILE)));
  }
}
