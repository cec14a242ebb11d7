package dev.lockstep.reconcile;

/**
 * Why the migration is where it is, for its conditions.
 *
 * @param reason the reason of the conditions
 * @param message a sentence for people
 * @param stalled whether progress needs a person to change something (kstatus {@code Stalled})
 */
public record Health(Reason reason, String message, boolean stalled) {

  public static Health progressing(Reason reason, String message) {
    return new Health(reason, message, false);
  }

  public static Health stalled(Reason reason, String message) {
    return new Health(reason, message, true);
  }
}
