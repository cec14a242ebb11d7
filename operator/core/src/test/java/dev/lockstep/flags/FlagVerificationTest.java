package dev.lockstep.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagVerificationTest {

  @Test
  void toleranceIsFiveBinomialStandardDeviations() {
    assertThat(FlagVerification.tolerance(10, 2_000)).isCloseTo(0.0335, within(0.0001));
    assertThat(FlagVerification.tolerance(50, 2_000)).isCloseTo(0.0559, within(0.0001));
    assertThat(FlagVerification.tolerance(100, 2_000)).isZero();
  }

  @Test
  void aFullFlipMustReachEveryKey() {
    assertThat(FlagVerification.problem("f", sample(Map.of("on", 2_000)), "on", 100, null)).isEmpty();
    assertThat(FlagVerification.problem("f", sample(Map.of("on", 1_999, "off", 1)), "on", 100, null))
        .hasValue("flag f evaluated to \"on\" for 99.95% of sample keys instead of all (saw {off=1, on=1999})");
  }

  @Test
  void aRolloutMustLandWithinTheTolerance() {
    assertThat(FlagVerification.problem("f", sample(Map.of("on", 260, "off", 1_740)), "on", 10, "off")).isEmpty();
    assertThat(FlagVerification.problem("f", sample(Map.of("on", 270, "off", 1_730)), "on", 10, "off"))
        .hasValue("flag f served \"on\" to 13.50% of 2000 sample keys; expected 10% ± 3.35%");
  }

  @Test
  void aRolloutThatServesNobodyFailsEvenWhenTheBandReachesZero() {
    assertThat(FlagVerification.problem("f", sample(Map.of("on", 10, "off", 1_990)), "on", 1, "off")).isEmpty();
    assertThat(FlagVerification.problem("f", sample(Map.of("off", 2_000)), "on", 1, "off"))
        .hasValue("flag f served \"on\" to 0.00% of 2000 sample keys; expected 1% ± 1.11%");
  }

  @Test
  void aRolloutMayServeOnlyItsTwoVariants() {
    assertThat(FlagVerification.problem("f", sample(Map.of("on", 200, "off", 1_700, "beta", 100)), "on", 10, "off"))
        .hasValue("flag f served variants other than \"on\" and \"off\" (saw {beta=100, off=1700, on=200})");
  }

  @Test
  void evaluationErrorsAreReportedWithTheProvidersMessage() {
    VariantSample failed = new VariantSample(2_000, Map.of(), 2_000, "FLAG_NOT_FOUND flag: f is disabled");

    assertThat(FlagVerification.problem("f", failed, "on", 100, null))
        .hasValue("flag f failed to evaluate for 2000 of 2000 keys: FLAG_NOT_FOUND flag: f is disabled");
  }

  private static VariantSample sample(Map<String, Integer> counts) {
    return new VariantSample(counts.values().stream().mapToInt(Integer::intValue).sum(), counts, 0, null);
  }
}
