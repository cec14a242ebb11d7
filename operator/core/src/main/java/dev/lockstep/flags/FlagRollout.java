package dev.lockstep.flags;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagStatus;

/**
 * Computes a flag's next definition for a {@link FlagChange}. Pure: no I/O.
 *
 * <p>Only {@code defaultVariant} and {@code targeting} ever change — never {@code state}, since a
 * disabled flag hands control back to each call site's hard-coded default. A full flip (no
 * {@code percent}, or 100) sets {@code defaultVariant} and removes the rule; a percent rollout writes
 * a flagd {@code fractional} rule that gives the variant to that share of targeting keys and the current
 * default variant to the rest, leaving {@code defaultVariant} alone.
 *
 * <p>A targeting rule lockstep did not write — one the team wrote, or one edited since lockstep wrote
 * it — is refused rather than replaced or wrapped: replacing would silently drop the team's targeting,
 * and wrapping would leave no stated share of traffic to verify.
 */
public final class FlagRollout {

  private FlagRollout() {}

  /**
   * The definition after {@code change}.
   *
   * @param current the flag as stored now
   * @param recorded what this migration recorded for the flag, or null before its first write: tells
   *     whether a targeting rule present now is lockstep's own
   * @throws FlagException naming the flag, when the change cannot be made
   */
  public static ObjectNode next(FlagDefinition current, FlagChange change, FlagStatus recorded) {
    String key = current.key();
    String variant = change.getVariant();
    int percent = change.getPercent() == null ? 100 : change.getPercent();
    if (percent < 1 || percent > 100) {
      throw new FlagException("flag " + key + ": percent " + percent + " is outside 1-100; give the share of traffic as a whole number from 1 to 100");
    }
    if (!current.definesVariant(variant)) {
      throw new FlagException("flag " + key + " has no variant \"" + variant + "\"; it defines "
          + String.join(", ", current.variantNames()));
    }
    // A rule equal to the one this very change writes is this change, repeated after a crash that came
    // before its status was saved.
    boolean repeated = percent < 100 && current.targeting()
        .map(fractionalRule(variant, percent, current.defaultVariant())::equals).orElse(false);
    if (current.targeting().isPresent() && !repeated && !isOwnRule(current, recorded)) {
      throw new FlagException("flag " + key + " has a targeting rule that lockstep did not write; lockstep "
          + "only changes flags without one: remove the rule or roll out with another flag");
    }
    ObjectNode next = current.tree().deepCopy();
    if (percent == 100) {
      next.put("defaultVariant", variant);
      next.remove("targeting");
      return next;
    }
    String rest = current.defaultVariant();
    if (rest == null || !current.definesVariant(rest)) {
      throw new FlagException("flag " + key + " has no valid defaultVariant to serve the other "
          + (100 - percent) + "% of targeting keys; set one");
    }
    if (rest.equals(variant)) {
      throw new FlagException("flag " + key + " already serves \"" + variant + "\" by default; a "
          + percent + "% rollout of it would change nothing");
    }
    next.set("targeting", fractionalRule(variant, percent, rest));
    return next;
  }

  /** {@code {"fractional": [[variant, percent], [rest, 100 - percent]]}}: flagd's split by targeting key. */
  public static ObjectNode fractionalRule(String variant, int percent, String rest) {
    ObjectNode rule = FlagJson.MAPPER.createObjectNode();
    ArrayNode buckets = rule.putArray("fractional");
    buckets.addArray().add(variant).add(percent);
    buckets.addArray().add(rest).add(100 - percent);
    return rule;
  }

  /** The rule present now is exactly the one lockstep's last percent rollout of this flag wrote. */
  static boolean isOwnRule(FlagDefinition current, FlagStatus recorded) {
    if (recorded == null || recorded.getVariant() == null || recorded.getPercent() == null
        || recorded.getPercent() >= 100) {
      return false;
    }
    ObjectNode written = fractionalRule(recorded.getVariant(), recorded.getPercent(), current.defaultVariant());
    return current.targeting().map(written::equals).orElse(false);
  }
}
