package dev.lockstep.steps;

import dev.lockstep.api.FlagStatus;
import java.util.Map;

/**
 * What starting or undoing a step changed that status must remember, and whether it failed in a
 * way that retrying will not fix.
 *
 * @param flags flag records to merge into {@code status.flags}: a flag's previous definition must
 *     be in status before the flag is first written, so a crash can never lose it
 * @param failure why the step cannot go on, or {@code null}
 * @param job the Job started (or adopted) for the step or its undo, for status; {@code null} if none
 */
public record StepEffects(Map<String, FlagStatus> flags, String failure, String job) {

  public static final StepEffects NONE = new StepEffects(Map.of(), null, null);

  public static StepEffects flags(Map<String, FlagStatus> flags) {
    return new StepEffects(Map.copyOf(flags), null, null);
  }

  public static StepEffects failed(String failure) {
    return new StepEffects(Map.of(), failure, null);
  }

  public static StepEffects job(String name) {
    return new StepEffects(Map.of(), null, name);
  }
}
