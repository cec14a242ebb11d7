package dev.lockstep.steps;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepStatus;
import dev.lockstep.validate.StepKindValidator;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of step handlers, one per kind, keyed by the spec field that selects the kind: adding a
 * kind is one handler and one line where the operator is assembled.
 */
public final class StepHandlers implements StepKinds {

  private final Map<String, StepHandler> byField = new LinkedHashMap<>();

  public StepHandlers(Collection<? extends StepHandler> handlers) {
    for (StepHandler handler : handlers) {
      if (byField.put(handler.field(), handler) != null) {
        throw new IllegalArgumentException("two handlers for step kind " + handler.field());
      }
    }
  }

  /** The kinds this operator runs, for the validator. */
  public List<StepKindValidator> validators() {
    return List.copyOf(byField.values());
  }

  /** The handler of {@code step}'s kind, if it sets exactly one kind field and a handler claims it. */
  public Optional<StepHandler> find(Step step) {
    Map<String, Object> fields = step.kindFields();
    return fields.size() == 1 ? Optional.ofNullable(byField.get(fields.keySet().iterator().next())) : Optional.empty();
  }

  /** The handler of {@code step}'s kind; validation has refused steps without one. */
  public StepHandler forStep(Step step) {
    return find(step).orElseThrow(() -> new IllegalStateException(
        "no handler for step " + step.getName() + " (fields " + step.kindFields().keySet()
            + "); validation should have refused it"));
  }

  @Override
  public boolean partlyApplied(SchemaMigration migration, Step step, StepStatus failed) {
    return find(step).map(h -> h.partlyApplied(migration, failed)).orElse(false);
  }
}
