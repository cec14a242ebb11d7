package dev.lockstep.examples.orders;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The application's use of the adapter: the flags decide per request, the schema version decides which
 * columns exist. When a statement shows that a migration changed the columns since the version was
 * last read (the contract, or its undo, committed in between), the version is read again and the
 * request retried once, so that no request fails for the moment the application takes to notice.
 */
public final class Orders {

  private final OrderStore store;
  private final OrderFlags flags;
  private final SchemaWatch schema;

  public Orders(OrderStore store, OrderFlags flags, SchemaWatch schema) {
    this.store = store;
    this.flags = flags;
    this.schema = schema;
  }

  /** Creates an order; the customer is the targeting key, so one customer's orders are written alike. */
  public CreatedOrder create(String customer, BigDecimal total) throws SQLException {
    boolean dualWrite = flags.dualWrite(customer);
    try {
      return store.insert(customer, total, schema.current().columns(), dualWrite);
    } catch (ColumnsChangedException e) {
      return retried(() -> store.insert(customer, total, schema.refresh().columns(), dualWrite));
    }
  }

  /**
   * Changes an order's amount. The order id is the targeting key of the dual-write flag here (the
   * customer is not in the request); whichever way the flag answers, the store never leaves a stale
   * {@code total_cents} behind.
   */
  public boolean update(long id, BigDecimal total) throws SQLException {
    boolean dualWrite = flags.dualWrite(Long.toString(id));
    try {
      return store.update(id, total, schema.current().columns(), dualWrite);
    } catch (ColumnsChangedException e) {
      return retried(() -> store.update(id, total, schema.refresh().columns(), dualWrite));
    }
  }

  /** Reads an order; its id is the targeting key, so an order is always read from the same column. */
  public Optional<StoredOrder> find(long id) throws SQLException {
    boolean readCents = flags.readCents(Long.toString(id));
    try {
      return store.select(id, schema.current().columns(), readCents);
    } catch (ColumnsChangedException e) {
      return retried(() -> store.select(id, schema.refresh().columns(), readCents));
    }
  }

  private interface Attempt<T> {
    T run() throws SQLException, ColumnsChangedException;
  }

  private static <T> T retried(Attempt<T> attempt) throws SQLException {
    try {
      return attempt.run();
    } catch (ColumnsChangedException again) {
      throw new SQLException("the orders table changed again while retrying: " + again.getMessage(), again);
    }
  }
}
