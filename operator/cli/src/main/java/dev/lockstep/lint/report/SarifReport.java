package dev.lockstep.lint.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.lint.Finding;
import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.input.LintedInputs;
import dev.lockstep.lint.input.SourceLocation;
import dev.lockstep.lint.rules.Blocked;
import dev.lockstep.lint.rules.Risk;
import dev.lockstep.lint.rules.Rule;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The report as SARIF 2.1.0, for GitHub code scanning and every other tool that reads it: one run, the
 * rules with their fixes, one result per finding located in the file a reviewer sees (the script, or
 * the manifest holding the ConfigMap it is a key of).
 */
public final class SarifReport {

  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  private static final String INFORMATION_URI = "https://github.com/lockstep-dev/lockstep/blob/main/docs/lint.md";
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SarifReport() {}

  /** @param version the tool's version, or null when unknown (a development build) */
  public static String render(LintedInputs linted, String version) {
    LintResult result = linted.result();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("$schema", SCHEMA);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "lockstep");
    driver.put("informationUri", INFORMATION_URI);
    if (version != null) {
      driver.put("version", version);
    }
    ArrayNode rules = driver.putArray("rules");
    for (Rule rule : Rule.values()) {
      ObjectNode node = rules.addObject();
      node.put("id", rule.id());
      node.put("name", rule.id());
      node.putObject("shortDescription").put("text", rule.reason());
      node.putObject("help").put("text", rule.fix());
      node.put("helpUri", INFORMATION_URI + "#rules");
      node.putObject("defaultConfiguration").put("level", level(rule.risk()));
      ObjectNode properties = node.putObject("properties");
      properties.putArray("tags").add("postgresql").add("migration").add("locking");
    }
    ArrayNode results = run.putArray("results");
    for (Finding finding : result.findings()) {
      Approval approval = Approval.of(finding, result);
      ObjectNode node = results.addObject();
      node.put("ruleId", finding.rule().id());
      node.put("ruleIndex", finding.rule().ordinal());
      node.put("level", approval == Approval.MISSING ? "error" : finding.undo() ? "note" : level(finding.risk()));
      node.putObject("message").put("text", FindingWords.message(finding, approval));
      SourceLocation location = linted.location(finding);
      ObjectNode physical = node.putArray("locations").addObject().putObject("physicalLocation");
      physical.putObject("artifactLocation").put("uri", uri(location.file()));
      physical.putObject("region").put("startLine", Math.max(1, location.line()));
      ObjectNode properties = node.putObject("properties");
      properties.put("script", finding.file());
      properties.put("scriptLine", finding.line());
      properties.put("statement", finding.statement());
      properties.put("risk", finding.risk().label());
      properties.put("lock", finding.lock() == null ? null : finding.lock().sqlName());
      ArrayNode blocks = properties.putArray("blocks");
      finding.blocks().stream().sorted().map(Blocked::label).forEach(blocks::add);
      properties.put("rewrite", finding.rewrite());
      properties.put("step", finding.step());
      properties.put("undo", finding.undo());
      properties.put("needsApproval", finding.needsApproval());
      properties.put("approval", approval.label());
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static String level(Risk risk) {
    return switch (risk) {
      case HIGH, MODERATE -> "warning";
      case LOW -> "note";
    };
  }

  /** The path as a relative URI reference, as code scanning expects: forward slashes, escaped. */
  static String uri(String path) {
    String slashed = path.replace('\\', '/');
    while (slashed.startsWith("./")) {
      slashed = slashed.substring(2);
    }
    try {
      String escaped = new URI(null, null, slashed, null).getRawPath();
      return slashed.startsWith("/") ? "file://" + escaped : escaped;
    } catch (URISyntaxException e) {
      return slashed;
    }
  }
}
