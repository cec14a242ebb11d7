package dev.lockstep.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags as the application reads them from a flagd JSON file, and what it concludes for all traffic. */
class OrderFlagsTest {

  @TempDir Path directory;
  private OrderFlags flags;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @AfterEach
  void close() {
    flags.close();
  }

  private OrderFlags load(String readFlag) throws Exception {
    Path file = directory.resolve("flags.flagd.json");
    Files.writeString(file, """
        {"flags": {
          "orders-cents-dual-write": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"},
          "orders-cents-read": %s
        }}
        """.formatted(readFlag));
    return connect(file);
  }

  private OrderFlags connect(Path file) {
    flags = OrderFlags.connect(
        new FlagSourceConfig(FlagSourceConfig.Resolver.FILE, null, 0, file, Duration.ofSeconds(5)),
        new AppLog(new PrintStream(log, true, StandardCharsets.UTF_8)));
    return flags;
  }

  @Test
  void aFlagWithoutTargetingGivesItsDefaultVariantEverywhere() throws Exception {
    load("""
        {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}""");

    assertThat(flags.spread(OrderFlags.DUAL_WRITE)).isEqualTo(FlagSpread.ON_EVERYWHERE);
    assertThat(flags.spread(OrderFlags.READ_CENTS)).isEqualTo(FlagSpread.OFF_EVERYWHERE);
    assertThat(flags.dualWrite("ada")).isTrue();
    assertThat(flags.readCents("17")).isFalse();
    assertThat(flags.supportedVersions()).hasToString("2-3");
  }

  @Test
  void aPercentRolloutVariesAndSplitsTargetingKeys() throws Exception {
    load("""
        {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
         "targeting": {"fractional": [["on", 50], ["off", 50]]}}""");

    assertThat(flags.spread(OrderFlags.READ_CENTS)).isEqualTo(FlagSpread.VARIES);
    long on = IntStream.rangeClosed(1, 1000).filter(id -> flags.readCents(Integer.toString(id))).count();
    assertThat(on).isBetween(400L, 600L);
    assertThat(flags.readCents("17")).isEqualTo(flags.readCents("17"));
    assertThat(flags.supportedVersions()).hasToString("3-3");
  }

  @Test
  void aDisabledFlagGivesTheCodeDefaultEverywhere() throws Exception {
    load("""
        {"state": "DISABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}""");

    assertThat(flags.spread(OrderFlags.READ_CENTS)).isEqualTo(FlagSpread.OFF_EVERYWHERE);
    assertThat(flags.readCents("17")).isFalse();
  }

  @Test
  void withoutItsFlagsTheAppBehavesAsBeforeTheMigration() {
    connect(directory.resolve("no-such-file.json"));

    assertThat(flags.spread(OrderFlags.DUAL_WRITE)).isEqualTo(FlagSpread.OFF_EVERYWHERE);
    assertThat(flags.spread(OrderFlags.READ_CENTS)).isEqualTo(FlagSpread.OFF_EVERYWHERE);
    assertThat(flags.supportedVersions()).hasToString("1-3");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("flags not loaded");
  }
}
