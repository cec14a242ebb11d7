package dev.lockstep.flags;

import static dev.lockstep.flags.FlagFixtures.change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.api.FlagStatus;
import org.junit.jupiter.api.Test;

class FlagRolloutTest {

  private static final FlagDefinition OFF = FlagDefinition.parse("read-new", """
      {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}""");

  @Test
  void aFullFlipSetsTheDefaultVariantAndNothingElse() {
    ObjectNode next = FlagRollout.next(OFF, change("read-new", "on", null), null);

    assertThat(next).isEqualTo(json("""
        {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}"""));
    assertThat(OFF.defaultVariant()).as("the current definition is left alone").isEqualTo("off");
  }

  @Test
  void aPercentRolloutWritesAFractionalRuleAgainstTheCurrentDefault() {
    ObjectNode next = FlagRollout.next(OFF, change("read-new", "on", 10), null);

    assertThat(next).isEqualTo(json("""
        {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
         "targeting": {"fractional": [["on", 10], ["off", 90]]}}"""));
  }

  @Test
  void hundredPercentRemovesLockstepsRuleAndSetsTheDefault() {
    FlagDefinition canary = FlagDefinition.of("read-new", FlagRollout.next(OFF, change("read-new", "on", 10), null));

    ObjectNode next = FlagRollout.next(canary, change("read-new", "on", 100), recorded("on", 10));

    assertThat(next).isEqualTo(FlagRollout.next(OFF, change("read-new", "on", null), null));
  }

  @Test
  void aLaterRolloutMayReplaceLockstepsOwnRule() {
    FlagDefinition canary = FlagDefinition.of("read-new", FlagRollout.next(OFF, change("read-new", "on", 10), null));

    ObjectNode next = FlagRollout.next(canary, change("read-new", "on", 50), recorded("on", 10));

    assertThat(next.get("targeting")).isEqualTo(FlagRollout.fractionalRule("on", 50, "off"));
  }

  @Test
  void aRepeatedChangeIsAcceptedEvenBeforeItsStatusWasSaved() {
    FlagDefinition canary = FlagDefinition.of("read-new", FlagRollout.next(OFF, change("read-new", "on", 10), null));

    assertThat(FlagRollout.next(canary, change("read-new", "on", 10), recorded(null, null))).isEqualTo(canary.tree());
  }

  @Test
  void aTargetingRuleTheTeamWroteIsRefused() {
    FlagDefinition theirs = FlagDefinition.parse("theme", """
        {"state": "ENABLED", "variants": {"light": "l", "dark": "d"}, "defaultVariant": "light",
         "targeting": {"if": [{"in": ["@example.com", {"var": "email"}]}, "dark", null]}}""");

    assertThatThrownBy(() -> FlagRollout.next(theirs, change("theme", "dark", null), null))
        .isInstanceOf(FlagException.class)
        .hasMessage("flag theme has a targeting rule that lockstep did not write; lockstep only changes flags "
            + "without one: remove the rule or roll out with another flag");
  }

  @Test
  void aRuleEditedSinceLockstepWroteItIsRefused() {
    ObjectNode edited = FlagRollout.next(OFF, change("read-new", "on", 10), null);
    edited.set("targeting", FlagRollout.fractionalRule("on", 30, "off"));

    assertThatThrownBy(() -> FlagRollout.next(FlagDefinition.of("read-new", edited), change("read-new", "on", 50),
        recorded("on", 10)))
        .isInstanceOf(FlagException.class)
        .hasMessageContaining("targeting rule that lockstep did not write");
  }

  @Test
  void anEmptyRuleCountsAsNone() {
    FlagDefinition empty = FlagDefinition.parse("f", """
        {"variants": {"on": 1, "off": 0}, "defaultVariant": "off", "targeting": {}}""");

    assertThat(FlagRollout.next(empty, change("f", "on", null), null).has("targeting")).isFalse();
  }

  @Test
  void refusesAVariantTheFlagDoesNotDefine() {
    assertThatThrownBy(() -> FlagRollout.next(OFF, change("read-new", "maybe", null), null))
        .isInstanceOf(FlagException.class)
        .hasMessage("flag read-new has no variant \"maybe\"; it defines on, off");
  }

  @Test
  void refusesAPercentRolloutOfTheVariantAlreadyServed() {
    assertThatThrownBy(() -> FlagRollout.next(OFF, change("read-new", "off", 10), null))
        .isInstanceOf(FlagException.class)
        .hasMessage("flag read-new already serves \"off\" by default; a 10% rollout of it would change nothing");
  }

  @Test
  void refusesAPercentOutsideOneToHundred() {
    assertThatThrownBy(() -> FlagRollout.next(OFF, change("read-new", "on", 0), null))
        .hasMessage("flag read-new: percent 0 is outside 1-100; give the share of traffic as a whole number from 1 to 100");
    assertThatThrownBy(() -> FlagRollout.next(OFF, change("read-new", "on", 101), null))
        .hasMessage("flag read-new: percent 101 is outside 1-100; give the share of traffic as a whole number from 1 to 100");
  }

  @Test
  void neverTouchesState() {
    FlagDefinition disabled = FlagDefinition.parse("f", """
        {"state": "DISABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}""");

    assertThat(FlagRollout.next(disabled, change("f", "on", null), null).get("state").asText()).isEqualTo("DISABLED");
  }

  private static FlagStatus recorded(String variant, Integer percent) {
    FlagStatus status = new FlagStatus();
    status.setVariant(variant);
    status.setPercent(percent);
    status.setPrevious("off");
    status.setPreviousDefinition(OFF.json());
    return status;
  }

  private static ObjectNode json(String text) {
    return FlagJson.parseObject(text, "test");
  }
}
