package dev.lockstep.lint.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.lint.Finding;
import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.Observed;
import dev.lockstep.lint.StepRisk;
import dev.lockstep.lint.input.LintedInputs;
import dev.lockstep.lint.input.SourceLocation;
import dev.lockstep.lint.rules.Blocked;
import dev.lockstep.lint.shadow.ObservedLock;
import dev.lockstep.lint.shadow.StatementObservation;
import java.util.Locale;

/**
 * The machine-readable report:
 * {@code {"findings": [{"file", "line", "statement", "rule", "lock", "blocks", "risk", "rewrite",
 * "observed", "fix", "step", "undo", "needsApproval", "approval", "location"}], "steps": [{"name",
 * "risk"}]}}. See docs/lint.md for each field.
 */
public final class JsonReport {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(LintedInputs linted) {
    LintResult result = linted.result();
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode findings = root.putArray("findings");
    for (Finding finding : result.findings()) {
      ObjectNode node = findings.addObject();
      node.put("file", finding.file());
      node.put("line", finding.line());
      node.put("statement", finding.statement());
      node.put("rule", finding.rule().id());
      node.put("lock", finding.lock() == null ? null : finding.lock().sqlName());
      ArrayNode blocks = node.putArray("blocks");
      finding.blocks().stream().sorted().map(Blocked::label).forEach(blocks::add);
      node.put("risk", finding.risk().label());
      node.put("rewrite", finding.rewrite());
      if (finding.observed() == null) {
        node.putNull("observed");
      } else {
        node.set("observed", observed(finding.observed()));
      }
      node.put("fix", finding.fix());
      node.put("step", finding.step());
      node.put("undo", finding.undo());
      node.put("needsApproval", finding.needsApproval());
      node.put("approval", Approval.of(finding, result).label());
      SourceLocation location = linted.location(finding);
      node.putObject("location").put("file", location.file()).put("line", location.line());
    }
    ArrayNode steps = root.putArray("steps");
    for (StepRisk step : result.steps()) {
      steps.addObject().put("name", step.name()).put("risk", step.risk().label());
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static ObjectNode observed(Observed observed) {
    StatementObservation observation = observed.observation();
    ObjectNode node = MAPPER.createObjectNode();
    node.put("method", observation.method().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    ArrayNode locks = node.putArray("locks");
    for (ObservedLock lock : observation.locks()) {
      locks.addObject()
          .put("relation", lock.relation())
          .put("mode", lock.mode().sqlName())
          .put("taken", lock.takenByStatement())
          .put("granted", lock.granted());
    }
    ArrayNode rewritten = node.putArray("rewritten");
    observation.rewritten().forEach(rewritten::add);
    node.put("error", observation.error());
    node.put("ruleLock", observed.ruleLock() == null ? null : observed.ruleLock().sqlName());
    node.put("ruleRewrite", observed.ruleRewrite());
    node.put("agrees", observed.agrees());
    node.put("note", observed.note());
    return node;
  }
}
