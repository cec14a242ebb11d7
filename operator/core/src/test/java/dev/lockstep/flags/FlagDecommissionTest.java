package dev.lockstep.flags;

import static dev.lockstep.flags.FlagFixtures.DUAL_WRITE;
import static dev.lockstep.flags.FlagFixtures.FLAGD_JSON;
import static dev.lockstep.flags.FlagFixtures.READ_NEW;
import static dev.lockstep.flags.FlagFixtures.THEME;
import static dev.lockstep.flags.FlagFixtures.change;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.FlagStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagDecommissionTest {

  @Test
  void listsTheFlagsLeftAtHundredPercentOnTheirFinalVariant() {
    String document = flip(flip(FLAGD_JSON, DUAL_WRITE, "on", null), READ_NEW, "on", 10);
    FlagSet current = FlagdDocument.read(document, "ConfigMap orders-flags key flags.flagd.json");
    Map<String, FlagStatus> recorded = new LinkedHashMap<>();
    recorded.put(READ_NEW, status("on", 10));
    recorded.put(DUAL_WRITE, status("on", 100));
    recorded.put("deleted-meanwhile", status("on", 100));

    List<String> removable = FlagDecommission.markRemovable(recorded, current);

    assertThat(removable).containsExactly(DUAL_WRITE);
    assertThat(recorded.get(DUAL_WRITE).getRemovableFromCode()).isTrue();
    assertThat(recorded.get(READ_NEW).getRemovableFromCode()).as("still a canary").isNull();
    assertThat(FlagDecommission.eventMessage(removable, recorded)).hasValue(
        "Flags now serve one variant to all traffic and can be removed from code: orders-currency-dual-write (on)");
  }

  @Test
  void aFlagSomeoneFlippedBackIsNotListed() {
    FlagSet current = FlagdDocument.read(FLAGD_JSON, "s");
    Map<String, FlagStatus> recorded = Map.of(DUAL_WRITE, status("on", 100), THEME, status("light", 100));

    assertThat(FlagDecommission.markRemovable(recorded, current)).isEmpty();
    assertThat(FlagDecommission.eventMessage(List.of(), recorded)).isEmpty();
  }

  private static String flip(String document, String key, String variant, Integer percent) {
    FlagDefinition flag = FlagdDocument.read(document, "s").require(key);
    return FlagdDocument.withFlag(document, key, FlagRollout.next(flag, change(key, variant, percent), null), "s");
  }

  private static FlagStatus status(String variant, int percent) {
    FlagStatus status = new FlagStatus();
    status.setVariant(variant);
    status.setPercent(percent);
    return status;
  }
}
