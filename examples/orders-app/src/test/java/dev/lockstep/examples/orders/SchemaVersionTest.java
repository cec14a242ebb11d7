package dev.lockstep.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaVersionTest {

  private static SchemaVersion v(String text) {
    return SchemaVersion.parse(text);
  }

  @Test
  void versionsCompareAsNumbersPartByPart() {
    assertThat(v("10")).isGreaterThan(v("9"));
    assertThat(v("1.10")).isGreaterThan(v("1.9"));
    assertThat(v("2")).isGreaterThan(v("1.99"));
    assertThat(v("1.0")).isEqualTo(v("1")).hasSameHashCodeAs(v("1"));
  }

  @Test
  void aRangeHoldsBothEnds() {
    SchemaRange range = new SchemaRange(v("2"), v("3"));
    assertThat(range.contains(v("2"))).isTrue();
    assertThat(range.contains(v("3"))).isTrue();
    assertThat(range.contains(v("1"))).isFalse();
    assertThat(range.contains(v("3.1"))).isFalse();
    assertThat(new SchemaRange(v("4"), v("3")).isEmpty()).isTrue();
  }

  @Test
  void textThatIsNotAVersionIsRefused() {
    assertThatThrownBy(() -> v("2a")).hasMessageContaining("\"2a\" is not a schema version");
    assertThatThrownBy(() -> v("")).isInstanceOf(IllegalArgumentException.class);
  }
}
