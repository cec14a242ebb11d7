package dev.lockstep.gates;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

class SchemaRangeTest {

  private static MigrationVersion v(String version) {
    return MigrationVersion.fromVersion(version);
  }

  private static SchemaRange range(String text) {
    Reading<SchemaRange> reading = SchemaRange.parse(text);
    assertThat(reading.problem()).isNull();
    return reading.value();
  }

  @Test
  void theAnnotationFormIncludesBothEnds() {
    SchemaRange range = range("1-3");

    assertThat(range.contains(v("1"))).isTrue();
    assertThat(range.contains(v("2.5"))).isTrue();
    assertThat(range.contains(v("3"))).isTrue();
    assertThat(range.contains(v("3.1"))).isFalse();
    assertThat(range.contains(v("0.9"))).isFalse();
    assertThat(range).hasToString("1-3");
  }

  @Test
  void versionsCompareAsFlywayComparesThemNotAsText() {
    SchemaRange range = range("1.9-1.10");

    assertThat(range.contains(v("1.10"))).isTrue();
    assertThat(range.contains(v("1.9.5"))).isTrue();
    // As text, "1.2" sorts between "1.10" and "1.9"; as versions it is below both.
    assertThat(range.contains(v("1.2"))).isFalse();
    assertThat(range("2-10").contains(v("9"))).isTrue();
  }

  @Test
  void aSingleVersionIsARangeOfOne() {
    SchemaRange range = range("3");

    assertThat(range.contains(v("3"))).isTrue();
    assertThat(range.contains(v("3.0"))).isTrue();
    assertThat(range.contains(v("2"))).isFalse();
    assertThat(range).hasToString("3");
  }

  @Test
  void spacesAroundTheEndsAndUnderscoresAsInFileNamesAreAccepted() {
    assertThat(range(" 1 - 1_2 ").contains(v("1.2"))).isTrue();
  }

  @Test
  void malformedAnnotationsSayWhatIsWrong() {
    assertThat(SchemaRange.parse("").problem()).isEqualTo("it is empty");
    assertThat(SchemaRange.parse("1-").problem()).startsWith("its upper end: the version is empty");
    assertThat(SchemaRange.parse("-3").problem()).startsWith("its lower end: the version is empty");
    assertThat(SchemaRange.parse("1-2-3").problem()).isEqualTo("it has more than one dash");
    assertThat(SchemaRange.parse("one-3").problem())
        .isEqualTo("its lower end: \"one\" is not a Flyway version; write digits separated by dots, such as 2 or 1.10");
    assertThat(SchemaRange.parse("latest-3").problem()).contains("\"latest\" is not a Flyway version");
    assertThat(SchemaRange.parse("1..2-3").problem()).contains("\"1..2\" is not a Flyway version");
    assertThat(SchemaRange.parse("3-1").problem()).isEqualTo("the lower end 3 is above the upper end 1");
  }

  @Test
  void theJsonFormReadsSchemaMinAndMaxAndIgnoresOtherMembers() {
    Reading<SchemaRange> reading =
        SchemaRange.fromJson("{\"app\": \"orders\", \"schema\": {\"min\": \"1.9\", \"max\": \"1.10\", \"note\": 1}}");

    assertThat(reading.ok()).isTrue();
    assertThat(reading.value()).hasToString("1.9-1.10");
  }

  @Test
  void wholeJsonNumbersAreVersionsButFractionsWouldLoseDigits() {
    assertThat(SchemaRange.fromJson("{\"schema\": {\"min\": 1, \"max\": 3}}").value()).hasToString("1-3");
    assertThat(SchemaRange.fromJson("{\"schema\": {\"min\": \"1\", \"max\": 1.10}}").problem())
        .isEqualTo("schema.max is the JSON number 1.10; write versions as strings (\"1.10\") so that no digit is lost");
  }

  @Test
  void malformedJsonSaysWhatIsWrong() {
    assertThat(SchemaRange.fromJson("<html>hello</html>").problem()).startsWith("the body is not JSON (");
    assertThat(SchemaRange.fromJson("").problem()).isEqualTo("the body is not a JSON object");
    assertThat(SchemaRange.fromJson("[1, 3]").problem()).isEqualTo("the body is not a JSON object");
    assertThat(SchemaRange.fromJson("{\"min\": \"1\", \"max\": \"3\"}").problem())
        .isEqualTo("the body has no \"schema\" object");
    assertThat(SchemaRange.fromJson("{\"schema\": \"1-3\"}").problem()).isEqualTo("the body has no \"schema\" object");
    assertThat(SchemaRange.fromJson("{\"schema\": {\"max\": \"3\"}}").problem()).isEqualTo("schema.min is missing");
    assertThat(SchemaRange.fromJson("{\"schema\": {\"min\": \"1\", \"max\": null}}").problem())
        .isEqualTo("schema.max is missing");
    assertThat(SchemaRange.fromJson("{\"schema\": {\"min\": true, \"max\": \"3\"}}").problem())
        .isEqualTo("schema.min is not a string");
    assertThat(SchemaRange.fromJson("{\"schema\": {\"min\": \"v1\", \"max\": \"3\"}}").problem())
        .startsWith("schema.min: \"v1\" is not a Flyway version");
    assertThat(SchemaRange.fromJson("{\"schema\": {\"min\": \"4\", \"max\": \"3\"}}").problem())
        .isEqualTo("schema.min 4 is above schema.max 3");
  }
}
