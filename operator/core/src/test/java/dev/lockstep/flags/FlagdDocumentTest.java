package dev.lockstep.flags;

import static dev.lockstep.flags.FlagFixtures.DUAL_WRITE;
import static dev.lockstep.flags.FlagFixtures.FLAGD_JSON;
import static dev.lockstep.flags.FlagFixtures.READ_NEW;
import static dev.lockstep.flags.FlagFixtures.THEME;
import static dev.lockstep.flags.FlagFixtures.change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class FlagdDocumentTest {

  private static final String SOURCE = "ConfigMap orders-flags key flags.flagd.json";

  @Test
  void readsEachFlagAsTheExactTextOfTheDocument() {
    FlagSet flags = FlagdDocument.read(FLAGD_JSON, SOURCE);

    assertThat(flags.flags()).containsOnlyKeys(DUAL_WRITE, READ_NEW, THEME);
    assertThat(flags.require(DUAL_WRITE).json()).isEqualTo("""
        {
              "state": "ENABLED",
              "variants": { "on": true, "off": false },
              "defaultVariant": "off"
            }""");
    assertThat(flags.require(READ_NEW).json()).contains("\"ratio\": 1.50");
    assertThat(flags.evaluators().has("staff")).isTrue();
  }

  @Test
  void aFlipRewritesOnlyTheDefaultVariantsValue() {
    String flipped = FlagdDocument.withFlag(FLAGD_JSON, DUAL_WRITE, next(DUAL_WRITE, "on", null), SOURCE);

    assertThat(flipped).isEqualTo(FLAGD_JSON.replaceFirst(
        "\"variants\": \\{ \"on\": true, \"off\": false },\n      \"defaultVariant\": \"off\"",
        "\"variants\": { \"on\": true, \"off\": false },\n      \"defaultVariant\": \"on\""));
  }

  @Test
  void aPercentRolloutAppendsTheRuleLaidOutLikeTheOtherMembers() {
    String rolledOut = FlagdDocument.withFlag(FLAGD_JSON, READ_NEW, next(READ_NEW, "on", 10), SOURCE);

    assertThat(rolledOut).isEqualTo(FLAGD_JSON.replace(
        "\"metadata\": { \"owner\": \"orders-team\", \"ratio\": 1.50 }",
        "\"metadata\": { \"owner\": \"orders-team\", \"ratio\": 1.50 },\n"
            + "      \"targeting\": {\"fractional\":[[\"on\",10],[\"off\",90]]}"));
  }

  @Test
  void removingTheRuleGivesBackTheDocumentAsItWas() {
    String rolledOut = FlagdDocument.withFlag(FLAGD_JSON, READ_NEW, next(READ_NEW, "on", 10), SOURCE);
    ObjectNode withoutRule = FlagdDocument.read(rolledOut, SOURCE).require(READ_NEW).tree().deepCopy();
    withoutRule.remove("targeting");

    assertThat(FlagdDocument.withFlag(rolledOut, READ_NEW, withoutRule, SOURCE)).isEqualTo(FLAGD_JSON);
  }

  @Test
  void removesAFirstOrOnlyMemberWithItsComma() {
    String document = "{\"flags\": {\"f\": {\"targeting\": {}, \"state\": \"ENABLED\"}, \"g\": {\"a\": 1}}}";
    ObjectNode f = FlagJson.parseObject("{\"state\": \"ENABLED\"}", "f");
    ObjectNode g = FlagJson.parseObject("{}", "g");

    String edited = FlagdDocument.withFlag(document, "f", f, SOURCE);
    assertThat(edited).isEqualTo("{\"flags\": {\"f\": {\"state\": \"ENABLED\"}, \"g\": {\"a\": 1}}}");
    assertThat(FlagdDocument.withFlag(edited, "g", g, SOURCE))
        .isEqualTo("{\"flags\": {\"f\": {\"state\": \"ENABLED\"}, \"g\": {}}}");
  }

  @Test
  void puttingASavedDefinitionBackRestoresTheDocumentByteForByte() {
    String saved = FlagdDocument.read(FLAGD_JSON, SOURCE).require(READ_NEW).json();
    String changed = FlagdDocument.withFlag(FLAGD_JSON, READ_NEW, next(READ_NEW, "on", null), SOURCE);

    assertThat(changed).isNotEqualTo(FLAGD_JSON);
    assertThat(FlagdDocument.withFlagText(changed, READ_NEW, saved, SOURCE)).isEqualTo(FLAGD_JSON);
  }

  @Test
  void aFlagDeletedMeanwhileIsPutBackAtTheEnd() {
    String document = "{\"flags\": {\"a\": {\"defaultVariant\": \"x\"}}}";

    assertThat(FlagdDocument.withFlagText(document, "b", "{\"defaultVariant\": \"y\"}", SOURCE))
        .isEqualTo("{\"flags\": {\"a\": {\"defaultVariant\": \"x\"}, \"b\": {\"defaultVariant\": \"y\"}}}");
  }

  @Test
  void keysWithEscapesAndStringsWithQuotesKeepTheirSpans() {
    String document = "{\"flags\": {\"a\\\"b\": {\"variants\": {\"q\": \"say \\\"hi\\\"\", \"n\": \"no\"},"
        + " \"defaultVariant\": \"n\"}}}";
    FlagDefinition flag = FlagdDocument.read(document, SOURCE).require("a\"b");
    ObjectNode desired = flag.tree().deepCopy().put("defaultVariant", "q");

    assertThat(FlagdDocument.withFlag(document, "a\"b", desired, SOURCE))
        .isEqualTo(document.replace("\"defaultVariant\": \"n\"", "\"defaultVariant\": \"q\""));
  }

  @Test
  void aDocumentWithoutFlagsIsRefusedByName() {
    assertThatThrownBy(() -> FlagdDocument.read("{\"flag\": {}}", SOURCE))
        .isInstanceOf(FlagException.class)
        .hasMessage(SOURCE + " is not a flagd document: it has no \"flags\" object");
    assertThatThrownBy(() -> FlagdDocument.read("{\"flags\": ", SOURCE))
        .isInstanceOf(FlagException.class)
        .hasMessageStartingWith(SOURCE + " is not valid JSON");
  }

  private static ObjectNode next(String key, String variant, Integer percent) {
    FlagDefinition current = FlagdDocument.read(FLAGD_JSON, SOURCE).require(key);
    return FlagRollout.next(current, change(key, variant, percent), null);
  }
}
