package dev.lockstep.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter against a real PostgreSQL at each version of the example's schema. */
class OrderStoreTest {

  private static final Columns V1 = new Columns(true, false);
  private static final Columns V2_OR_V3 = new Columns(true, true);
  private static final Columns V4 = new Columns(false, true);
  private static final BigDecimal AMOUNT = new BigDecimal("12.50");

  private static OrdersDatabase postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = OrdersDatabase.shared();
  }

  private static List<Object> amounts(OrdersDatabase.Database db, long id, String columns) {
    return db.query("SELECT " + columns + " FROM orders WHERE id = " + id).get(0);
  }

  @Test
  void atVersion1OnlyTotalIsWrittenWhateverTheDualWriteFlag() throws Exception {
    var db = postgres.create("1");
    OrderStore store = new OrderStore(db.connections());

    CreatedOrder created = store.insert("ada", AMOUNT, V1, true);

    assertThat(created.columns()).containsExactly("total");
    assertThat(amounts(db, created.id(), "total")).containsExactly(new BigDecimal("12.50"));
    assertThat(store.select(created.id(), V1, false)).get()
        .isEqualTo(new StoredOrder(created.id(), "ada", new BigDecimal("12.50"), "total"));
  }

  @Test
  void dualWritesFillBothColumnsAndOnlyThen() throws Exception {
    var db = postgres.create("2");
    OrderStore store = new OrderStore(db.connections());

    CreatedOrder dual = store.insert("ada", AMOUNT, V2_OR_V3, true);
    CreatedOrder single = store.insert("bob", AMOUNT, V2_OR_V3, false);

    assertThat(dual.columns()).containsExactly("total", "total_cents");
    assertThat(amounts(db, dual.id(), "total, total_cents")).containsExactly(new BigDecimal("12.50"), 1250L);
    assertThat(single.columns()).containsExactly("total");
    assertThat(amounts(db, single.id(), "total, total_cents")).containsExactly(new BigDecimal("12.50"), null);
  }

  @Test
  void theReadFlagChoosesTheColumnAndSaysWhichOneAnswered() throws Exception {
    var db = postgres.create("3");
    OrderStore store = new OrderStore(db.connections());
    // A row the fill left inconsistent on purpose, to see which column is read.
    db.execute("INSERT INTO orders (id, customer, total, total_cents) VALUES (5000, 'ada', 1.00, 200)");

    assertThat(store.select(5000, V2_OR_V3, false)).get()
        .extracting(StoredOrder::total, StoredOrder::source).containsExactly(new BigDecimal("1.00"), "total");
    assertThat(store.select(5000, V2_OR_V3, true)).get()
        .extracting(StoredOrder::total, StoredOrder::source).containsExactly(new BigDecimal("2.00"), "total_cents");
  }

  @Test
  void theFillGaveEverySeededOrderItsCents() throws Exception {
    var db = postgres.create("3");
    OrderStore store = new OrderStore(db.connections());

    StoredOrder old = store.select(1, V2_OR_V3, false).orElseThrow();
    StoredOrder cents = store.select(1, V2_OR_V3, true).orElseThrow();

    assertThat(cents.total()).isEqualByComparingTo(old.total());
  }

  @Test
  void readingCentsOfARowWrittenWithoutDualWritesIsAnErrorNotAFallback() throws Exception {
    // At version 2: from version 2.1 on, the schema itself refuses a row without total_cents.
    var db = postgres.create("2");
    OrderStore store = new OrderStore(db.connections());
    CreatedOrder single = store.insert("bob", AMOUNT, V2_OR_V3, false);

    assertThatThrownBy(() -> store.select(single.id(), V2_OR_V3, true))
        .isInstanceOf(MissingAmountException.class)
        .hasMessageContaining("order " + single.id() + " has no total_cents");
  }

  @Test
  void fromVersion3TheSchemaRefusesARowWithoutCents() throws Exception {
    var db = postgres.create("3");
    OrderStore store = new OrderStore(db.connections());

    assertThatThrownBy(() -> store.insert("bob", AMOUNT, V2_OR_V3, false))
        .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("orders_total_cents_present");
  }

  @Test
  void anUpdateWritesTheColumnsAnInsertWouldAndNeverLeavesStaleCents() throws Exception {
    var db = postgres.create("2");
    OrderStore store = new OrderStore(db.connections());
    CreatedOrder order = store.insert("ada", AMOUNT, V2_OR_V3, true);

    assertThat(store.update(order.id(), new BigDecimal("3.10"), V2_OR_V3, true)).isTrue();
    assertThat(amounts(db, order.id(), "total, total_cents")).containsExactly(new BigDecimal("3.10"), 310L);

    assertThat(store.update(order.id(), new BigDecimal("4.20"), V2_OR_V3, false)).isTrue();
    assertThat(amounts(db, order.id(), "total, total_cents")).containsExactly(new BigDecimal("4.20"), null);

    assertThat(store.update(999_999, AMOUNT, V2_OR_V3, true)).isFalse();
  }

  @Test
  void afterTheContractAnUpdateWritesOnlyTotalCents() throws Exception {
    var db = postgres.create("4");
    OrderStore store = new OrderStore(db.connections());
    CreatedOrder order = store.insert("ada", AMOUNT, V4, false);

    assertThat(store.update(order.id(), new BigDecimal("7.77"), V4, false)).isTrue();

    assertThat(amounts(db, order.id(), "total_cents")).containsExactly(777L);
  }

  @Test
  void afterTheContractOnlyTotalCentsIsWrittenAndReadingTotalIsRefused() throws Exception {
    var db = postgres.create("4");
    OrderStore store = new OrderStore(db.connections());

    CreatedOrder created = store.insert("ada", AMOUNT, V4, false);

    assertThat(created.columns()).containsExactly("total_cents");
    assertThat(store.select(created.id(), V4, true)).get()
        .extracting(StoredOrder::total, StoredOrder::source).containsExactly(new BigDecimal("12.50"), "total_cents");
    assertThatThrownBy(() -> store.select(created.id(), V4, false))
        .isInstanceOf(UnsupportedSchemaException.class).hasMessageContaining("total");
  }

  @Test
  void aWriteThatMeetsADroppedColumnSaysTheColumnsChangedAndWritesNothing() throws Exception {
    var db = postgres.create("3");
    try (ConnectionPool pool = ConnectionPool.create("test", db.url(), "postgres", "")) {
      OrderStore store = new OrderStore(pool);
      // More than the driver's prepareThreshold (5): the statements are prepared on the server by now.
      for (int i = 0; i < 10; i++) {
        store.insert("ada", AMOUNT, V2_OR_V3, true);
        store.select(1, V2_OR_V3, true);
      }
      long before = (Long) db.query("SELECT count(*) FROM orders").get(0).get(0);
      db.migrateTo("4");

      assertThatThrownBy(() -> store.insert("ada", AMOUNT, V2_OR_V3, true))
          .isInstanceOf(ColumnsChangedException.class).hasMessageContaining("total");
      assertThat(db.query("SELECT count(*) FROM orders").get(0).get(0)).isEqualTo(before);
      assertThat(store.insert("ada", AMOUNT, V4, true).columns()).containsExactly("total_cents");
      assertThat(store.select(1, V4, true)).isPresent();
    }
  }

  @Test
  void aWriteThatMissesAColumnAddedBackSaysTheColumnsChanged() throws Exception {
    var db = postgres.create("4");
    OrderStore store = new OrderStore(db.connections());
    // What U4 (the contract's undo) does.
    db.execute("ALTER TABLE orders ADD COLUMN total numeric(12, 2);"
        + " UPDATE orders SET total = total_cents / 100.0; ALTER TABLE orders ALTER COLUMN total SET NOT NULL");

    assertThatThrownBy(() -> store.insert("ada", AMOUNT, V4, true)).isInstanceOf(ColumnsChangedException.class);
  }

  @Test
  void amountsWithFractionsOfACentAreRefused() {
    var db = postgres.create("2");
    OrderStore store = new OrderStore(db.connections());

    assertThatThrownBy(() -> store.insert("ada", new BigDecimal("1.005"), V2_OR_V3, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fractions of a cent");
  }
}
