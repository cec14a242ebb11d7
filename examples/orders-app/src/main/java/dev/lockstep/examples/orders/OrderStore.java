package dev.lockstep.examples.orders;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The compatibility layer between the old and the new orders schema: the one place that knows an
 * order's amount lives in {@code total} (numeric euros), in {@code total_cents} (integer cents), or in
 * both for a while. Callers say which columns the table has and what the flags decided; everything
 * else in the application sees euros.
 */
public final class OrderStore {

  static final String TOTAL = "total";
  static final String TOTAL_CENTS = "total_cents";

  /** PostgreSQL's undefined_column: the statement names a column a migration dropped. */
  private static final String UNDEFINED_COLUMN = "42703";
  /** PostgreSQL's not_null_violation: the statement leaves out a NOT NULL column a migration added back. */
  private static final String NOT_NULL_VIOLATION = "23502";

  private final Connections connections;

  public OrderStore(Connections connections) {
    this.connections = connections;
  }

  /**
   * Writes a new order. {@code total} is written while the table has it (it is NOT NULL); {@code
   * total_cents} when {@code dualWrite} says so, and always once it is the only column.
   *
   * @throws ColumnsChangedException when the table no longer has the columns of {@code columns}
   */
  public CreatedOrder insert(String customer, BigDecimal total, Columns columns, boolean dualWrite)
      throws SQLException, ColumnsChangedException {
    long cents = Euros.toCents(total);
    List<String> written = new ArrayList<>();
    if (columns.total()) {
      written.add(TOTAL);
    }
    if (columns.totalCents() && (dualWrite || !columns.total())) {
      written.add(TOTAL_CENTS);
    }
    if (written.isEmpty()) {
      throw new UnsupportedSchemaException("orders has neither total nor total_cents at this schema version");
    }
    String sql = "INSERT INTO orders (customer, " + String.join(", ", written) + ") VALUES (?"
        + ", ?".repeat(written.size()) + ") RETURNING id";
    try (Connection connection = connections.open(); PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, customer);
      for (int i = 0; i < written.size(); i++) {
        if (written.get(i).equals(TOTAL)) {
          insert.setBigDecimal(i + 2, Euros.fromCents(cents));
        } else {
          insert.setLong(i + 2, cents);
        }
      }
      try (ResultSet id = insert.executeQuery()) {
        id.next();
        return new CreatedOrder(id.getLong(1), List.copyOf(written));
      }
    } catch (SQLException e) {
      if (columnsChanged(e)) {
        throw new ColumnsChangedException(e);
      }
      throw e;
    }
  }

  /**
   * Changes an order's amount, in the columns an insert would write. When the table has {@code
   * total_cents} but dual writes are off, it is emptied rather than left with the old amount: a row's
   * {@code total_cents} is either right or missing (and then filled by the backfill), never stale.
   *
   * @return whether the order exists
   * @throws ColumnsChangedException when the table no longer has the columns of {@code columns}
   */
  public boolean update(long id, BigDecimal total, Columns columns, boolean dualWrite)
      throws SQLException, ColumnsChangedException {
    long cents = Euros.toCents(total);
    List<String> assignments = new ArrayList<>();
    if (columns.total()) {
      assignments.add(TOTAL + " = ?");
    }
    if (columns.totalCents()) {
      assignments.add(dualWrite || !columns.total() ? TOTAL_CENTS + " = ?" : TOTAL_CENTS + " = NULL");
    }
    if (assignments.isEmpty()) {
      throw new UnsupportedSchemaException("orders has neither total nor total_cents at this schema version");
    }
    String sql = "UPDATE orders SET " + String.join(", ", assignments) + " WHERE id = ?";
    try (Connection connection = connections.open(); PreparedStatement update = connection.prepareStatement(sql)) {
      int index = 1;
      if (columns.total()) {
        update.setBigDecimal(index++, Euros.fromCents(cents));
      }
      if (columns.totalCents() && (dualWrite || !columns.total())) {
        update.setLong(index++, cents);
      }
      update.setLong(index, id);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      if (columnsChanged(e)) {
        throw new ColumnsChangedException(e);
      }
      throw e;
    }
  }

  /**
   * Reads an order's amount from {@code total_cents} when {@code readCents}, else from {@code total}.
   *
   * @throws UnsupportedSchemaException when the column to read is not in {@code columns}
   * @throws MissingAmountException when the order has no value in the column read
   * @throws ColumnsChangedException when the table no longer has the columns of {@code columns}
   */
  public Optional<StoredOrder> select(long id, Columns columns, boolean readCents)
      throws SQLException, ColumnsChangedException {
    String column = readCents ? TOTAL_CENTS : TOTAL;
    if (readCents ? !columns.totalCents() : !columns.total()) {
      throw new UnsupportedSchemaException("reading amounts from " + column
          + " needs a schema version that has it");
    }
    try (Connection connection = connections.open();
        PreparedStatement select = connection.prepareStatement(
            "SELECT customer, " + column + " FROM orders WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        BigDecimal total = readCents ? centsOrNull(row.getLong(2), row.wasNull()) : row.getBigDecimal(2);
        if (total == null) {
          throw new MissingAmountException("order " + id + " has no " + column
              + ": it was written without dual writes and has not been filled");
        }
        return Optional.of(new StoredOrder(id, row.getString(1), total, column));
      }
    } catch (SQLException e) {
      if (columnsChanged(e)) {
        throw new ColumnsChangedException(e);
      }
      throw e;
    }
  }

  private static BigDecimal centsOrNull(long cents, boolean wasNull) {
    return wasNull ? null : Euros.fromCents(cents);
  }

  /** A statement that failed on a column the table no longer has (or has again) says the schema moved. */
  private static boolean columnsChanged(SQLException e) {
    return UNDEFINED_COLUMN.equals(e.getSQLState()) || NOT_NULL_VIOLATION.equals(e.getSQLState());
  }
}
