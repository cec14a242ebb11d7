package dev.lockstep.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lockstep.api.CrdCelRules.Outcome;
import dev.lockstep.api.CrdCelRules.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CEL rules ({@code x-kubernetes-validations}) of the checked-in CRD, evaluated against sample
 * manifests. The in-process API server the other tests use enforces none of them, so this is the only
 * place they run before a real cluster.
 *
 * <p>Every rule in the CRD must be broken by at least one case below: a new {@code @ValidationRule}
 * without a case here fails {@link #everyRuleIsBrokenByACase()}.
 */
class CrdValidationRulesTest {

  static CrdCelRules crd;

  @BeforeAll
  static void load() throws IOException {
    crd = CrdCelRules.load(Path.of("../../crds", CrdInSyncTest.FILE));
  }

  /** Everything the resource can say, in the shape of PRODUCT.md. */
  static final String FULL_SPEC = """
      database:
        name: orders
        secretRef: {name: orders-db}
      scripts:
        configMapRef: {name: orders-migrations}
      workloads:
        - kind: Deployment
          name: orders
          compatibility:
            http: {port: 8080, path: /lockstep/compat}
        - {kind: Deployment, name: orders-reporting, compatibility: {annotation: {}}}
        - {kind: StatefulSet, name: orders-archive}
      flagSource:
        featureFlag: {name: orders-flags}
      dependsOn: [orders-add-index]
      steps:
        - name: expand
          migrate: {to: "2", lockTimeout: 2s}
        - name: dual-write
          flags: [{flag: orders-currency-dual-write, variant: "on"}]
        - name: soak
          wait:
            podsReady: true
            duration: 2m
            compatible: "2"
            prometheus: {url: "http://prometheus.monitoring:9090", query: "sum(rate(errors[1m]))", max: 1, for: 1m}
        - name: backfill
          backfill: {table: orders, set: "currency = 'EUR'", where: "currency IS NULL", batchSize: 5000,
                     batchTime: 50ms, minBatchSize: 500, maxBatchSize: 50000,
                     throttle: {prometheus: {url: "http://prometheus.monitoring:9090", query: "max(pg_replication_lag)"},
                                max: 5, interval: 2s},
                     undo: {set: "currency = NULL", where: "currency = 'EUR'"}}
        - name: read-new-canary
          flags: [{flag: orders-currency-read-new, variant: "on", percent: 10}]
        - name: read-new
          flags: [{flag: orders-currency-read-new, variant: "on"}]
        - name: contract
          approval: required
          timeout: 30m
          migrate: {to: "3"}
      guards:
        podsReady: true
        prometheus: {url: "http://prometheus.monitoring:9090", query: "sum(rate(errors[1m]))", max: 0.01, for: 1m}
      rollback: {policy: Automatic}
      timeouts: {step: 15m}
      """;

  static final String DATABASE = "database: {name: orders, secretRef: {name: orders-db}}\n";
  static final String SCRIPTS = "scripts: {configMapRef: {name: orders-migrations}}\n";
  static final String ONE_STEP = "steps: [{name: expand, migrate: {to: \"2\"}}]\n";

  static final String SCRIPTS_RULE = "spec.scripts: set exactly one of configMapRef and image";
  static final String UNIQUE_NAMES_RULE = "spec.steps: step names must be unique";
  static final String ONE_KIND_RULE = "spec.steps[*]: a step has exactly one of migrate, backfill, flags and wait";
  static final String WAIT_RULE = "spec.steps[*].wait: a wait step needs at least one condition";
  static final String WAIT_PROMETHEUS_RULE = "spec.steps[*].wait.prometheus: set max, min or both";
  static final String GUARD_PROMETHEUS_RULE = "spec.guards.prometheus: set max, min or both";
  static final String COMPATIBILITY_RULE = "spec.workloads[*].compatibility: set exactly one of http and annotation";
  static final String BACKFILL_UNDO_RULE = "spec.steps[*].backfill.undo: set both set and where, or only none: true";
  static final String FLAG_SOURCE_RULE = "spec.flagSource: set exactly one of featureFlag and configMap";
  static final String BATCH_SIZES_RULE = "spec.steps[*].backfill: minBatchSize must not be above maxBatchSize";
  static final String THROTTLE_RULE = "spec.steps[*].backfill.throttle: set exactly one of prometheus and sql";

  /** A spec and the rules it must break, by "path: message"; none means it must pass. */
  record Case(String name, String spec, Set<String> breaks) {
    Case(String name, String spec, String... breaks) {
      this(name, spec, Set.of(breaks));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("full spec", FULL_SPEC),
        new Case("minimal spec", DATABASE + SCRIPTS + ONE_STEP),
        new Case("scripts from an image", DATABASE + ONE_STEP + """
            scripts:
              image: {name: registry.example.com/orders-migrations:1.4.0, path: /migrations}
            """),
        new Case("scripts from both a ConfigMap and an image", DATABASE + ONE_STEP + """
            scripts:
              configMapRef: {name: orders-migrations}
              image: {name: registry.example.com/orders-migrations:1.4.0}
            """, SCRIPTS_RULE),
        new Case("scripts from nowhere", DATABASE + ONE_STEP + """
            scripts: {}
            """, SCRIPTS_RULE),
        new Case("two steps with one name", DATABASE + SCRIPTS + """
            steps:
              - {name: expand, migrate: {to: "2"}}
              - {name: soak, wait: {duration: 1m}}
              - {name: expand, migrate: {to: "3"}}
            """, UNIQUE_NAMES_RULE),
        new Case("a step with two kinds", DATABASE + SCRIPTS + """
            steps:
              - name: expand
                migrate: {to: "2"}
                wait: {podsReady: true}
            """, ONE_KIND_RULE),
        new Case("a step with no kind", DATABASE + SCRIPTS + """
            steps:
              - {name: expand, migrate: {to: "2"}}
              - {name: nothing, approval: required}
            """, ONE_KIND_RULE),
        new Case("a wait step with no condition", DATABASE + SCRIPTS + """
            steps:
              - {name: soak, wait: {}}
            """, WAIT_RULE),
        new Case("a wait step on a query with only min", DATABASE + SCRIPTS + """
            steps:
              - name: soak
                wait: {prometheus: {url: "http://prometheus:9090", query: "up", min: 1}}
            """),
        new Case("a wait step on a query with no bound", DATABASE + SCRIPTS + """
            steps:
              - name: soak
                wait: {prometheus: {url: "http://prometheus:9090", query: "up"}}
            """, WAIT_PROMETHEUS_RULE),
        new Case("a guard query with no bound", DATABASE + SCRIPTS + ONE_STEP + """
            guards:
              prometheus: {url: "http://prometheus:9090", query: "sum(rate(errors[1m]))", for: 1m}
            """, GUARD_PROMETHEUS_RULE),
        new Case("a workload with both http and annotation compatibility", DATABASE + SCRIPTS + ONE_STEP + """
            workloads:
              - {kind: Deployment, name: orders}
              - kind: Deployment
                name: orders-reporting
                compatibility: {http: {port: 8080}, annotation: {}}
            """, COMPATIBILITY_RULE),
        new Case("a workload with empty compatibility", DATABASE + SCRIPTS + ONE_STEP + """
            workloads:
              - {kind: Deployment, name: orders, compatibility: {}}
            """, COMPATIBILITY_RULE),
        new Case("a backfill declaring it needs no undo", DATABASE + SCRIPTS + """
            steps:
              - {name: fill, backfill: {table: t, set: "a = 1", where: "a IS NULL", undo: {none: true}}}
            """),
        new Case("a backfill undo with only set", DATABASE + SCRIPTS + """
            steps:
              - {name: fill, backfill: {table: t, set: "a = 1", where: "a IS NULL", undo: {set: "a = NULL"}}}
            """, BACKFILL_UNDO_RULE),
        new Case("a backfill undo with none and expressions", DATABASE + SCRIPTS + """
            steps:
              - name: fill
                backfill: {table: t, set: "a = 1", where: "a IS NULL",
                           undo: {none: true, set: "a = NULL", where: "a IS NOT NULL"}}
            """, BACKFILL_UNDO_RULE),
        new Case("flags from a ConfigMap", DATABASE + SCRIPTS + ONE_STEP + """
            flagSource:
              configMap: {name: orders-flags, key: flags.flagd.json}
            """),
        new Case("flags from both a FeatureFlag and a ConfigMap", DATABASE + SCRIPTS + ONE_STEP + """
            flagSource:
              featureFlag: {name: orders-flags}
              configMap: {name: orders-flags}
            """, FLAG_SOURCE_RULE),
        new Case("flags from nowhere", DATABASE + SCRIPTS + ONE_STEP + """
            flagSource: {}
            """, FLAG_SOURCE_RULE),
        new Case("a backfill throttled by an SQL query", DATABASE + SCRIPTS + """
            steps:
              - name: fill
                backfill: {table: t, set: "a = 1", where: "a IS NULL", minBatchSize: 100, maxBatchSize: 100,
                           throttle: {sql: "SELECT 1", max: 5}}
            """),
        new Case("a backfill whose minimum batch is above its maximum", DATABASE + SCRIPTS + """
            steps:
              - name: fill
                backfill: {table: t, set: "a = 1", where: "a IS NULL", minBatchSize: 1000, maxBatchSize: 100}
            """, BATCH_SIZES_RULE),
        new Case("a throttle with two sources", DATABASE + SCRIPTS + """
            steps:
              - name: fill
                backfill: {table: t, set: "a = 1", where: "a IS NULL",
                           throttle: {sql: "SELECT 1", prometheus: {url: "http://p:9090", query: "up"}, max: 5}}
            """, THROTTLE_RULE),
        new Case("a throttle with no source", DATABASE + SCRIPTS + """
            steps:
              - name: fill
                backfill: {table: t, set: "a = 1", where: "a IS NULL", throttle: {max: 5}}
            """, THROTTLE_RULE),
        new Case("several mistakes at once are all reported", DATABASE + """
            scripts: {}
            steps:
              - {name: expand, migrate: {to: "2"}, backfill: {table: t, set: "a = 1", where: "a IS NULL"}}
              - {name: expand, wait: {}}
            """, SCRIPTS_RULE, UNIQUE_NAMES_RULE, ONE_KIND_RULE, WAIT_RULE));
  }

  static String manifest(String spec) {
    return """
        apiVersion: lockstep.dev/v1alpha1
        kind: SchemaMigration
        metadata:
          name: orders-total-cents
        spec:
        """ + spec.indent(2);
  }

  @Test
  void everyRuleCompilesToABool() {
    assertThat(crd.rules()).as("x-kubernetes-validations rules in the CRD").isNotEmpty();
    for (Rule rule : crd.rules()) {
      assertThat(rule.compileError()).as("rule at %s: %s", rule.where(), rule.expression()).isNull();
    }
    assertThat(crd.rules().stream().map(Rule::id))
        .as("path and message tell the rules apart, so the cases can name them")
        .doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caseBreaksExactlyItsRules(Case c) throws IOException {
    List<Outcome> violations = crd.violations(manifest(c.spec()));

    assertThat(violations).as("rules that errored instead of returning false")
        .allSatisfy(v -> assertThat(v.error()).isNull());
    assertThat(violations.stream().map(v -> v.rule().id()).collect(Collectors.toSet()))
        .as("rules broken by %s", c.name())
        .containsExactlyInAnyOrderElementsOf(c.breaks());
  }

  @Test
  void theFullSpecReachesEveryRule() throws IOException {
    Set<String> evaluated = crd.evaluate(manifest(FULL_SPEC)).stream()
        .map(o -> o.rule().id()).collect(Collectors.toCollection(TreeSet::new));

    assertThat(evaluated).as("so that its passing means something")
        .containsExactlyInAnyOrderElementsOf(allRuleIds());
  }

  @Test
  void everyRuleIsBrokenByACase() throws IOException {
    Set<String> broken = new TreeSet<>();
    for (Case c : cases()) {
      crd.violations(manifest(c.spec())).forEach(v -> broken.add(v.rule().id()));
    }

    assertThat(broken).as("rules some case breaks; add a case for each new rule")
        .containsExactlyInAnyOrderElementsOf(allRuleIds());
  }

  @Test
  void theScriptsRuleNamesBothSources() throws IOException {
    List<Outcome> violations = crd.violations(manifest(DATABASE + ONE_STEP + """
        scripts: {configMapRef: {name: a}, image: {name: b}}
        """));

    assertThat(violations).singleElement().satisfies(v -> {
      assertThat(v.at()).isEqualTo("spec.scripts");
      assertThat(v.rule().message()).isEqualTo("set exactly one of configMapRef and image");
    });
  }

  @Test
  void aBrokenStepIsReportedAtItsIndex() throws IOException {
    List<Outcome> violations = crd.violations(manifest(DATABASE + SCRIPTS + """
        steps:
          - {name: expand, migrate: {to: "2"}}
          - {name: soak, wait: {}}
        """));

    assertThat(violations).extracting(Outcome::at).containsExactly("spec.steps[1].wait");
  }

  @Test
  void aSampleWithAFieldTheSchemaDoesNotKnowIsRefused() {
    String typo = manifest(DATABASE + ONE_STEP + "scripts: {configMapref: {name: a}}\n");

    assertThatThrownBy(() -> crd.evaluate(typo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.scripts.configMapref");
  }

  @Test
  void theExamplesPass() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("../../examples"))) {
      files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    List<JsonNode> migrations = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    for (Path file : files) {
      try (var docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
        docs.readAll().stream().filter(d -> "SchemaMigration".equals(d.path("kind").asText())).forEach(migrations::add);
      }
    }

    assertThat(migrations).as("SchemaMigrations under examples/").isNotEmpty();
    for (JsonNode migration : migrations) {
      assertThat(crd.evaluate(migration)).as(migration.path("metadata").path("name").asText())
          .allSatisfy(o -> assertThat(o.passed()).as(o.toString()).isTrue());
    }
  }

  /**
   * The API server estimates each rule's worst-case cost from the schema and refuses the CRD when it is
   * too high. {@code self.all(s, self.exists_one(...))} is quadratic in the number of steps, so the list
   * must be bounded; every array a rule sits on or iterates over is.
   */
  @Test
  void listsUnderRulesAreBounded() {
    assertThat(crd.schemaAt("spec.steps").path("maxItems").asInt()).as("spec.steps maxItems").isEqualTo(50);
    for (Rule rule : crd.rules()) {
      if ("array".equals(rule.schema().path("type").asText())) {
        assertThat(rule.schema().has("maxItems")).as("maxItems on %s, which carries a rule", rule.where()).isTrue();
      }
    }
  }

  private static Set<String> allRuleIds() {
    return crd.rules().stream().map(Rule::id).collect(Collectors.toCollection(TreeSet::new));
  }
}
