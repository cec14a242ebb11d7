package dev.lockstep.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The chart in helm/lockstep, rendered in process by helm-java, and its manifests as JSON trees. */
final class Chart {

  static final Path DIR = Path.of("../../helm/lockstep");
  static final Path VALUES = Path.of("src/test/resources/chart");
  static final String RELEASE = "lockstep";
  static final String NAMESPACE = "lockstep-system";

  private static final YAMLMapper YAML = new YAMLMapper();

  private final List<JsonNode> manifests;

  private Chart(List<JsonNode> manifests) {
    this.manifests = manifests;
  }

  static Helm helm() {
    return new Helm(DIR);
  }

  /**
   * The chart as rendered: a copy whose Chart.yaml accepts Kubernetes 1.20. helm-java 0.0.15's
   * template command renders for a built-in v1.20.0 and has no --kube-version, so the real
   * {@code kubeVersion} (checked by {@link ChartRenderTest#declaresTheKubernetesItNeeds}) would
   * refuse it; nothing else in the copy differs.
   */
  private static synchronized Path renderable() {
    Path copy = Path.of("target/chart-under-test/lockstep");
    try {
      if (Files.exists(copy)) {
        try (Stream<Path> old = Files.walk(copy)) {
          old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      try (Stream<Path> files = Files.walk(DIR)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path target = copy.resolve(DIR.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        }
      }
      Path chartYaml = copy.resolve("Chart.yaml");
      Files.writeString(chartYaml, Files.readString(chartYaml).replaceAll("(?m)^kubeVersion: .*$", "kubeVersion: \">=1.20.0-0\""));
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code helm template lockstep helm/lockstep -n lockstep-system [-f src/test/resources/chart/<file>]}. */
  static Chart render(String... valuesFiles) {
    TemplateCommand template = new Helm(renderable()).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (String file : valuesFiles) {
      template = template.withValuesFile(VALUES.resolve(file));
    }
    return parse(template.call());
  }

  static Chart parse(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm template printed YAML that does not parse", e);
    }
    return new Chart(docs);
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<JsonNode> all() {
    return manifests;
  }

  Stream<JsonNode> ofKind(String kind) {
    return manifests.stream().filter(m -> kind.equals(m.path("kind").asText()));
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).filter(m -> name.equals(m.path("metadata").path("name").asText())).findFirst();
  }

  JsonNode one(String kind) {
    List<JsonNode> found = ofKind(kind).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + ", rendered " + found.size());
    }
    return found.get(0);
  }

  /** The operator container's environment variable, or null. */
  String env(String name) {
    for (JsonNode e : one("Deployment").at("/spec/template/spec/containers/0/env")) {
      if (name.equals(e.path("name").asText())) {
        return e.path("value").asText(null);
      }
    }
    return null;
  }
}
