package dev.lockstep.steps;

import dev.lockstep.api.Step;
import dev.lockstep.api.StepKind;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/** The registry of step handlers, one per step kind: adding a kind is one handler and one line. */
public final class StepHandlers {

  private final Map<StepKind, StepHandler> byKind = new EnumMap<>(StepKind.class);

  public StepHandlers(Collection<? extends StepHandler> handlers) {
    for (StepHandler handler : handlers) {
      if (byKind.put(handler.kind(), handler) != null) {
        throw new IllegalArgumentException("two handlers for step kind " + handler.kind());
      }
    }
  }

  /** Whether this operator can run steps of {@code kind}. */
  public boolean supports(StepKind kind) {
    return byKind.containsKey(kind);
  }

  /** The handler of {@code step}'s kind. */
  public StepHandler forStep(Step step) {
    StepKind kind = step.kind();
    StepHandler handler = kind == null ? null : byKind.get(kind);
    if (handler == null) {
      throw new IllegalStateException(
          "no handler for step " + step.getName() + " of kind " + kind + "; validation should have refused it");
    }
    return handler;
  }
}
