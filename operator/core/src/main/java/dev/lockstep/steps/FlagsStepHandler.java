package dev.lockstep.steps;

import dev.lockstep.api.Step;

import dev.lockstep.api.StepStatus;

import dev.lockstep.api.SchemaMigration;

import dev.lockstep.flags.FlagValidation;
import dev.lockstep.validate.StepValidation;
import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagStatus;
import dev.lockstep.flags.FlagException;
import dev.lockstep.flags.FlagFlipper;
import dev.lockstep.flags.FlagStore;
import dev.lockstep.flags.FlagSources;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code flags}: sets feature flag variants in the migration's flag source, optionally for a share
 * of traffic, and counts a flip only when it reads back.
 *
 * <p>Two calls per attempt, so that a crash can never lose what a flag was: the first captures each
 * flag's whole definition into status, the second writes and verifies. Between them {@link #observe}
 * says {@link StepObservation.Outcome#ACT_AGAIN}: the engine calls {@code start} once more. Undo puts
 * the captured definitions back exactly.
 */
public final class FlagsStepHandler implements StepHandler {

  private final FlagSources sources;
  private final FlagFlipper flipper;

  public FlagsStepHandler(FlagSources sources, FlagFlipper flipper) {
    this.sources = sources;
    this.flipper = flipper;
  }

  @Override
  public String field() {
    return "flags";
  }

  /**
   * A failed flags step may have written a flag: one whose old definition status holds is put back
   * by the undo (which restores only what was saved).
   */
  @Override
  public boolean partlyApplied(SchemaMigration migration, StepStatus failed) {
    Step step = migration.getSpec().getSteps().stream()
        .filter(s -> failed.getName().equals(s.getName())).findFirst().orElse(null);
    Map<String, FlagStatus> flags = migration.getStatus() == null ? null : migration.getStatus().getFlags();
    return step != null && step.getFlags() != null && flags != null && step.getFlags().stream()
        .map(FlagChange::getFlag)
        .anyMatch(flag -> flags.get(flag) != null && flags.get(flag).getPreviousDefinition() != null);
  }

  /**
   * The step's own changes. Playing them against the flag source (its current definitions, what status
   * recorded, the steps before) needs the source's contents, which the validator gathers for every flags
   * step at once ({@link FlagValidation#validate}).
   */
  @Override
  public void validate(StepValidation v, List<String> problems) {
    FlagValidation.shapeProblems(v.step()).forEach(problem -> problems.add(v.where() + ": " + problem));
  }


  @Override
  public StepEffects start(StepContext context) {
    String current = null;
    try {
      FlagStore store = store(context);
      Map<String, FlagStatus> recorded = recorded(context);
      Map<String, FlagStatus> captured = new LinkedHashMap<>();
      for (FlagChange change : changes(context)) {
        current = change.getFlag();
        FlagStatus before = recorded.get(change.getFlag());
        if (before == null || before.getPreviousDefinition() == null) {
          captured.put(change.getFlag(), flipper.capture(store, change.getFlag(), before));
        }
      }
      if (!captured.isEmpty()) {
        return StepEffects.flags(captured);
      }
      Map<String, FlagStatus> flipped = new LinkedHashMap<>();
      for (FlagChange change : changes(context)) {
        current = change.getFlag();
        flipped.put(change.getFlag(), flipper.apply(store, change, recorded.get(change.getFlag())));
      }
      return StepEffects.flags(flipped);
    } catch (FlagException e) {
      return StepEffects.failed(current == null ? e.getMessage() : "flag " + current + ": " + e.getMessage());
    }
  }

  @Override
  public StepObservation observe(StepContext context) {
    Map<String, FlagStatus> recorded = recorded(context);
    if (context.undoing()) {
      for (FlagChange change : changes(context)) {
        FlagStatus flag = recorded.get(change.getFlag());
        if (flag != null && flag.getPreviousDefinition() != null
            && (!Objects.equals(flag.getVariant(), flag.getPrevious()) || flag.getPercent() != null)) {
          return StepObservation.actAgain("restoring flag " + change.getFlag());
        }
      }
      return StepObservation.succeeded("flags restored to their definitions from before the migration", null);
    }
    Instant startedSecond = context.startedAt().truncatedTo(ChronoUnit.SECONDS);
    StringBuilder done = new StringBuilder();
    for (FlagChange change : changes(context)) {
      FlagStatus flag = recorded.get(change.getFlag());
      if (flag == null || flag.getPreviousDefinition() == null) {
        return StepObservation.actAgain("saving the previous definition of flag " + change.getFlag());
      }
      int percent = change.getPercent() == null ? 100 : change.getPercent();
      boolean verifiedByThisStep = flag.getObservedAt() != null
          && !Instant.parse(flag.getObservedAt()).isBefore(startedSecond);
      if (!change.getVariant().equals(flag.getVariant()) || !Objects.equals(flag.getPercent(), percent)
          || !verifiedByThisStep) {
        return StepObservation.actAgain("writing flag " + change.getFlag());
      }
      done.append(done.length() == 0 ? "" : "; ").append(describe(change.getFlag(), flag));
    }
    return StepObservation.succeeded(done.toString(), null);
  }

  @Override
  public StepEffects undo(StepContext context) {
    String current = null;
    try {
      FlagStore store = store(context);
      Map<String, FlagStatus> recorded = recorded(context);
      Map<String, FlagStatus> restored = new LinkedHashMap<>();
      for (FlagChange change : changes(context)) {
        current = change.getFlag();
        FlagStatus flag = flipper.restore(store, change.getFlag(), recorded.get(change.getFlag()));
        if (flag != null) {
          restored.put(change.getFlag(), flag);
        }
      }
      return StepEffects.flags(restored);
    } catch (FlagException e) {
      return StepEffects.failed(current == null ? e.getMessage() : "flag " + current + ": " + e.getMessage());
    }
  }

  @Override
  public String whyIrreversible(StepContext context) {
    return null;
  }

  private FlagStore store(StepContext context) {
    return sources.open(context.namespace(), context.migration().getSpec().getFlagSource());
  }

  private static List<FlagChange> changes(StepContext context) {
    return context.step().getFlags();
  }

  private static Map<String, FlagStatus> recorded(StepContext context) {
    var status = context.migration().getStatus();
    return status == null || status.getFlags() == null ? Map.of() : status.getFlags();
  }

  private static String describe(String key, FlagStatus flag) {
    String share = flag.getObservedShare() == null ? "" : String.format(" (observed %.1f%%)", flag.getObservedShare() * 100);
    return "flag " + key + " serves " + flag.getVariant() + " to " + flag.getPercent() + "%" + share;
  }
}
