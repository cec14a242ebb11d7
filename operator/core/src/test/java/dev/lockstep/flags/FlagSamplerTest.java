package dev.lockstep.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class FlagSamplerTest {

  private static final Logger LOG = LoggerFactory.getLogger(FlagSamplerTest.class);

  private final FlagSampler sampler = new FlagSampler();

  @Test
  void aStaticFlagGivesEveryKeyTheDefaultVariant() {
    VariantSample sample = sampler.sample("f", document("""
        {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}"""));

    assertThat(sample.size()).isEqualTo(FlagSampler.SAMPLE_SIZE);
    assertThat(sample.variants()).containsOnlyKeys("on");
    assertThat(sample.share("on")).isEqualTo(1.0);
  }

  @Test
  void aFractionalRuleGivesTheVariantToItsShareOfKeys() {
    long started = System.nanoTime();
    VariantSample sample = sampler.sample("orders-currency-read-new", document("""
        {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
         "targeting": {"fractional": [["on", 10], ["off", 90]]}}""", "orders-currency-read-new"));
    LOG.info("sampled {} keys in {} ms", sample.size(), (System.nanoTime() - started) / 1_000_000);

    assertThat(sample.errors()).isZero();
    assertThat(sample.variants()).containsOnlyKeys("on", "off");
    assertThat(FlagVerification.problem("orders-currency-read-new", sample, "on", 10, "off")).isEmpty();
  }

  @Test
  void evaluatesStringNumberAndObjectVariantsByVariantName() {
    assertThat(sampler.sample("f", document("""
        {"state": "ENABLED", "variants": {"eur": "EUR", "usd": "USD"}, "defaultVariant": "usd"}""")).variants())
        .containsOnlyKeys("usd");
    assertThat(sampler.sample("f", document("""
        {"state": "ENABLED", "variants": {"small": 10, "big": 5000}, "defaultVariant": "big"}""")).variants())
        .containsOnlyKeys("big");
    assertThat(sampler.sample("f", document("""
        {"state": "ENABLED", "variants": {"low": 0.1, "high": 2}, "defaultVariant": "low"}""")).variants())
        .containsOnlyKeys("low");
    assertThat(sampler.sample("f", document("""
        {"state": "ENABLED", "variants": {"v1": {"table": "orders"}, "v2": {"table": "orders_v2"}},
         "defaultVariant": "v2", "targeting": {"fractional": [["v1", 50], ["v2", 50]]}}""")).variants())
        .containsOnlyKeys("v1", "v2");
  }

  @Test
  void aDisabledFlagFailsToEvaluateAsItWouldInTheApplication() {
    VariantSample sample = sampler.sample("f", document("""
        {"state": "DISABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}"""));

    assertThat(sample.errors()).isEqualTo(FlagSampler.SAMPLE_SIZE);
    assertThat(sample.firstError()).isEqualTo("FLAG_NOT_FOUND flag: f is disabled");
  }

  @Test
  void sharedEvaluatorsAreResolved() {
    String document = """
        {"flags": {"f": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                          "targeting": {"$ref": "half"}}},
         "$evaluators": {"half": {"fractional": [["on", 50], ["off", 50]]}}}""";

    assertThat(sampler.sample("f", document).variants()).containsOnlyKeys("on", "off");
  }

  @Test
  void aDefinitionFlagdCannotParseIsReportedWithFlagdsReason() {
    assertThatThrownBy(() -> sampler.sample("f", document("""
        {"state": "ENABLED", "variants": ["on", "off"], "defaultVariant": "on"}""")))
        .isInstanceOf(FlagException.class)
        .hasMessageStartingWith("flagd rejects the definition of flag f: ")
        .hasMessageContaining("variants");
  }

  @Test
  void samplesTheSameDefinitionIdentically() {
    String rollout = document("""
        {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
         "targeting": {"fractional": [["on", 30], ["off", 70]]}}""");
    for (int i = 0; i < 3; i++) {
      long started = System.nanoTime();
      VariantSample sample = sampler.sample("f", rollout);
      LOG.info("sample {}: {} keys in {} ms", i, sample.size(), (System.nanoTime() - started) / 1_000_000);
    }

    assertThat(sampler.sample("f", rollout)).isEqualTo(sampler.sample("f", rollout));
  }

  @Test
  void leavesNoFlagdThreadsBehind() {
    for (int i = 0; i < 3; i++) {
      sampler.sample("f", document("""
          {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}"""));
    }

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(thread -> thread.getThreadGroup() != null
            && thread.getThreadGroup().getName().equals("lockstep-flag-sample")
            // The SDK's idle event emitter threads end by themselves after a minute.
            && !thread.getName().startsWith("openfeature-event-emitter-thread")));
  }

  private static String document(String flag) {
    return document(flag, "f");
  }

  private static String document(String flag, String key) {
    return "{\"flags\": {\"" + key + "\": " + flag + "}}";
  }
}
