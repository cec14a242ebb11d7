package dev.lockstep.reconcile;

/**
 * Why the migration is where it is, for its conditions.
 *
 * @param reason a CamelCase reason ({@code StepRunning}, {@code ValidationFailed})
 * @param message a sentence for people
 * @param stalled whether progress needs a person to change something (kstatus {@code Stalled})
 */
public record Health(String reason, String message, boolean stalled) {

  public static Health progressing(String reason, String message) {
    return new Health(reason, message, false);
  }

  public static Health stalled(String reason, String message) {
    return new Health(reason, message, true);
  }
}
