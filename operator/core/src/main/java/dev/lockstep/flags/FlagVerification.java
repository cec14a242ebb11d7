package dev.lockstep.flags;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a {@link VariantSample} shows the flip the operator wrote. Pure.
 *
 * <p>A full flip must give the variant to every key. A percent rollout must give every key either the
 * variant or the previous one, and the variant's share must lie within {@link #SIGMAS} binomial standard
 * deviations, sqrt(p(1-p)/n), of the intended share p. flagd assigns a key to a bucket by hashing the flag
 * key with the targeting key, so the sample behaves like n independent draws. The sample keys are fixed,
 * so a given flag and percent always observe the same share: a false alarm would repeat on every retry,
 * which is why the bound is 5 sigma (a chance of 6 in 10 million) rather than 3. With n = 2,000 that is
 * ±3.4 points at 10% and ±5.6 points at 50%; still, a missing rule (0% or 100%) or swapped buckets
 * (100 − p) fall far outside it, and a rollout must also show both variants at least once, which tells
 * 1% from 0%.
 */
public final class FlagVerification {

  static final double SIGMAS = 5.0;

  private FlagVerification() {}

  /** Half the width of the accepted band around {@code percent}, as a share (0 to 1). */
  public static double tolerance(int percent, int sampleSize) {
    double p = percent / 100.0;
    return SIGMAS * Math.sqrt(p * (1 - p) / sampleSize);
  }

  /**
   * What is wrong with the sample, or empty when it shows the flip.
   *
   * @param rest the variant the other keys must get in a percent rollout (ignored at 100)
   */
  public static Optional<String> problem(
      String flagKey, VariantSample sample, String variant, int percent, String rest) {
    if (sample.errors() > 0) {
      return Optional.of(String.format(Locale.ROOT, "flag %s failed to evaluate for %d of %d keys: %s",
          flagKey, sample.errors(), sample.size(), sample.firstError()));
    }
    double share = sample.share(variant);
    if (percent >= 100) {
      return share == 1.0 ? Optional.empty() : Optional.of(String.format(Locale.ROOT,
          "flag %s evaluated to \"%s\" for %s of sample keys instead of all (saw %s)",
          flagKey, variant, percentage(share), sample.variants()));
    }
    int splitKeys = sample.variants().getOrDefault(variant, 0) + sample.variants().getOrDefault(rest, 0);
    if (splitKeys != sample.size()) {
      return Optional.of(String.format(Locale.ROOT,
          "flag %s served variants other than \"%s\" and \"%s\" (saw %s)", flagKey, variant, rest,
          sample.variants()));
    }
    double tolerance = tolerance(percent, sample.size());
    boolean bothSeen = share > 0 && share < 1;
    if (!bothSeen || Math.abs(share - percent / 100.0) > tolerance) {
      return Optional.of(String.format(Locale.ROOT,
          "flag %s served \"%s\" to %s of %d sample keys; expected %d%% ± %s", flagKey, variant,
          percentage(share), sample.size(), percent, percentage(tolerance)));
    }
    return Optional.empty();
  }

  private static String percentage(double share) {
    return String.format(Locale.ROOT, "%.2f%%", share * 100);
  }
}
