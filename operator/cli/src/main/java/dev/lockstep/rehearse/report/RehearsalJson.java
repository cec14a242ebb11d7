package dev.lockstep.rehearse.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.rehearse.RehearsalResult;
import dev.lockstep.rehearse.traffic.SegmentFigures;
import dev.lockstep.rehearse.traffic.TrafficReport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;

/**
 * The one JSON object {@code rehearse --output json} prints: {@code rehearsal} (the outcome, the
 * bands, the injected faults, the traffic's figures) and {@code resources} (every resource of the
 * manifests as it ended). The README documents the shape.
 */
public final class RehearsalJson {

  private RehearsalJson() {}

  public static ObjectNode of(RehearsalResult result, String outcome, Path log) {
    ObjectMapper json = Serialization.jsonMapper();
    ObjectNode root = json.createObjectNode();
    ObjectNode rehearsal = root.putObject("rehearsal");
    rehearsal.put("outcome", outcome);
    rehearsal.put("seconds", result.seconds());
    rehearsal.put("log", log == null ? null : log.toString());
    ArrayNode migrations = rehearsal.putArray("migrations");
    for (SchemaMigration m : result.migrations()) {
      ObjectNode node = migrations.addObject();
      node.put("name", m.getMetadata().getNamespace() + "/" + m.getMetadata().getName());
      node.put("phase", m.getStatus() == null || m.getStatus().getPhase() == null ? null : m.getStatus().getPhase().name());
      node.put("schemaVersion", m.getStatus() == null ? null : m.getStatus().getSchemaVersion());
    }
    rehearsal.set("injected", json.valueToTree(result.injected()));
    rehearsal.set("bands", json.valueToTree(result.bands()));
    rehearsal.set("traffic", result.traffic() == null ? null : traffic(json, result.traffic()));
    ArrayNode resources = root.putArray("resources");
    for (HasMetadata resource : result.resources()) {
      resources.add(json.valueToTree(resource));
    }
    return root;
  }

  private static ObjectNode traffic(ObjectMapper json, TrafficReport traffic) {
    ObjectNode node = json.createObjectNode();
    node.put("rate", traffic.rate());
    node.put("target", traffic.target());
    node.put("plan", traffic.plan());
    node.set("total", json.valueToTree(traffic.total()));
    ArrayNode steps = node.putArray("steps");
    for (SegmentFigures s : traffic.segments()) {
      ObjectNode step = steps.addObject();
      step.put("migration", s.segment().migration());
      step.put("phase", s.segment().phase());
      step.put("step", s.segment().step());
      step.put("undo", s.segment().undo());
      step.put("label", s.segment().label());
      step.put("startSeconds", s.startSeconds());
      step.put("endSeconds", s.endSeconds());
      step.setAll((ObjectNode) json.valueToTree(s.figures()));
    }
    ArrayNode phases = node.putArray("phases");
    for (TrafficReport.PhaseFigures p : traffic.phases()) {
      ObjectNode phase = phases.addObject();
      phase.put("phase", p.phase());
      phase.setAll((ObjectNode) json.valueToTree(p.figures()));
    }
    node.set("writes", json.valueToTree(traffic.writes()));
    node.set("seconds", json.valueToTree(traffic.seconds()));
    return node;
  }
}
