package dev.lockstep.flags;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What evaluating a flag for a sample of targeting keys returned.
 *
 * @param size how many targeting keys were evaluated
 * @param variants how many evaluations returned each variant (by variant name)
 * @param errors how many evaluations failed (flag missing or disabled, type mismatch, bad rule)
 * @param firstError the provider's message for the first failure, or null
 */
public record VariantSample(int size, Map<String, Integer> variants, int errors, String firstError) {

  public VariantSample {
    variants = Collections.unmodifiableMap(new TreeMap<>(variants));
  }

  /** The share of the sample (0 to 1) that got {@code variant}. */
  public double share(String variant) {
    return size == 0 ? 0 : variants.getOrDefault(variant, 0) / (double) size;
  }
}
