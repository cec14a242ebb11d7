package dev.lockstep.e2e;

import dev.lockstep.steps.StepContext;
import dev.lockstep.steps.StepEffects;
import dev.lockstep.steps.StepHandler;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.validate.StepValidation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * A fifth step kind that only the tests know: {@code annotate: {configMap: c, key: k, value: v}} sets an
 * annotation on a ConfigMap, and its undo removes it. It is registered like the built-in kinds, with
 * one handler, and exists to prove the engine (validator, decider, rollback) runs a kind it has never
 * seen without a line of it changed: the checklist of docs/architecture.md, followed.
 */
final class AnnotateStepHandler implements StepHandler {

  static final String FIELD = "annotate";

  private final KubernetesClient client;

  AnnotateStepHandler(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public String field() {
    return FIELD;
  }

  @Override
  public void validate(StepValidation v, List<String> problems) {
    Map<String, Object> spec = spec(v.step().kindFields().get(FIELD));
    for (String key : List.of("configMap", "key", "value")) {
      if (!(spec.get(key) instanceof String s) || s.isBlank()) {
        problems.add(v.where() + ": annotate." + key + " is missing");
      }
    }
  }

  @Override
  public StepEffects start(StepContext context) {
    edit(context, true);
    return StepEffects.NONE;
  }

  @Override
  public StepEffects undo(StepContext context) {
    edit(context, false);
    return StepEffects.NONE;
  }

  @Override
  public StepObservation observe(StepContext context) {
    Map<String, Object> spec = spec(context.step().kindFields().get(FIELD));
    ConfigMap map = configMap(context, spec);
    String value = map == null || map.getMetadata().getAnnotations() == null
        ? null : map.getMetadata().getAnnotations().get((String) spec.get("key"));
    boolean done = context.undoing() ? value == null : spec.get("value").equals(value);
    return done ? StepObservation.succeeded(context.undoing() ? "annotation removed" : "annotated", null)
        : StepObservation.missing("annotation not written yet");
  }

  @Override
  public String whyIrreversible(StepContext context) {
    return null;
  }

  private void edit(StepContext context, boolean set) {
    Map<String, Object> spec = spec(context.step().kindFields().get(FIELD));
    client.configMaps().inNamespace(context.namespace()).withName((String) spec.get("configMap")).edit(map -> {
      if (set) {
        map.getMetadata().getAnnotations().put((String) spec.get("key"), (String) spec.get("value"));
      } else {
        map.getMetadata().getAnnotations().remove((String) spec.get("key"));
      }
      return map;
    });
  }

  private ConfigMap configMap(StepContext context, Map<String, Object> spec) {
    return client.configMaps().inNamespace(context.namespace()).withName((String) spec.get("configMap")).get();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }
}
