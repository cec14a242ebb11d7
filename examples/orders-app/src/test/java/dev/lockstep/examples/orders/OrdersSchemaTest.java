package dev.lockstep.examples.orders;

import static dev.lockstep.examples.orders.FlagSpread.OFF_EVERYWHERE;
import static dev.lockstep.examples.orders.FlagSpread.ON_EVERYWHERE;
import static dev.lockstep.examples.orders.FlagSpread.VARIES;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The compatibility matrix, step by step through the walk of examples/orders. */
class OrdersSchemaTest {

  private static String supported(FlagSpread dualWrite, FlagSpread readCents) {
    SchemaRange range = OrdersSchema.supported(dualWrite, readCents);
    return range.min() + "-" + range.max();
  }

  @Test
  void theColumnsOfEachVersion() {
    assertThat(OrdersSchema.columnsAt(SchemaVersion.parse("1"))).isEqualTo(new Columns(true, false));
    assertThat(OrdersSchema.columnsAt(SchemaVersion.parse("2"))).isEqualTo(new Columns(true, true));
    assertThat(OrdersSchema.columnsAt(SchemaVersion.parse("3"))).isEqualTo(new Columns(true, true));
    assertThat(OrdersSchema.columnsAt(SchemaVersion.parse("4"))).isEqualTo(new Columns(false, true));
  }

  @Test
  void beforeAnyFlipTheAppRunsOnEveryVersionThatHasTotal() {
    assertThat(supported(OFF_EVERYWHERE, OFF_EVERYWHERE)).isEqualTo("1-3");
  }

  @Test
  void dualWritesNeedTotalCents() {
    assertThat(supported(ON_EVERYWHERE, OFF_EVERYWHERE)).isEqualTo("2-3");
    assertThat(supported(VARIES, OFF_EVERYWHERE)).isEqualTo("2-3");
  }

  @Test
  void aReadCanaryNeedsTheFillAndStillNeedsTotal() {
    assertThat(supported(ON_EVERYWHERE, VARIES)).isEqualTo("3-3");
  }

  @Test
  void onceEveryRequestReadsTotalCentsTheContractIsSupported() {
    assertThat(supported(ON_EVERYWHERE, ON_EVERYWHERE)).isEqualTo("3-4");
  }

  @Test
  void readingTotalCentsWithoutDualWritesIsOnlyRightOnceTotalIsGone() {
    assertThat(supported(OFF_EVERYWHERE, ON_EVERYWHERE)).isEqualTo("4-4");
    assertThat(OrdersSchema.supported(VARIES, VARIES).isEmpty()).isTrue();
  }
}
