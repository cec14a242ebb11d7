package dev.lockstep.steps;

import java.util.List;

/**
 * The four built-in step handlers, for tests of the validator and the decider: both ask the handlers
 * only plain questions (validate, stoppedAtOnceByBreach, partlyApplied), which need no collaborators.
 */
public final class BuiltInKinds {

  private BuiltInKinds() {}

  public static StepHandlers handlers() {
    return new StepHandlers(List.of(
        new MigrateStepHandler(null, null, null),
        new WaitStepHandler(null, null, null),
        new FlagsStepHandler(null, null),
        new BackfillStepHandler(null, null)));
  }

  /** Only the kinds named, as an operator built with fewer handlers would have. */
  public static List<StepHandler> only(String... fields) {
    List<String> wanted = List.of(fields);
    return handlers().validators().stream()
        .map(StepHandler.class::cast)
        .filter(h -> wanted.contains(h.field()))
        .toList();
  }
}
