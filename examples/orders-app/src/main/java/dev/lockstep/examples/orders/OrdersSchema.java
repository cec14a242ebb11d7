package dev.lockstep.examples.orders;

/**
 * What this application knows about the versions of its schema (the scripts of {@code
 * examples/orders}), and so which versions it can run against given the flags it is serving. This is
 * the compatibility matrix of the change from {@code total} to {@code total_cents}:
 *
 * <pre>
 * version  orders has                     reached by
 * 1        total                          create
 * 2        total, total_cents (empty)     expand: add total_cents
 * 3        total, total_cents (filled)    fill: copy every total into total_cents
 * 4        total_cents                    contract: drop total
 * </pre>
 *
 * <p>Writes follow the schema: {@code total} is written while it exists (it is NOT NULL), {@code
 * total_cents} when the dual-write flag says so, and always once it is the only column. Reads follow the
 * read flag: {@code total_cents} when it is on, {@code total} when it is off. So:
 *
 * <ul>
 *   <li>dual writes on for any request need {@code total_cents}: version 2 at least;
 *   <li>reading {@code total_cents} for any request needs every row to have it: version 3 at least (the
 *       fill), and dual writes for every request, or rows written from then on would lack it — unless
 *       {@code total} is gone (version 4), when every write has only {@code total_cents} to write;
 *   <li>reading {@code total} for any request needs it: version 3 at most. Once every request reads
 *       {@code total_cents} the application no longer needs {@code total}, and supports the contract.
 * </ul>
 */
public final class OrdersSchema {

  public static final SchemaVersion CREATED = SchemaVersion.parse("1");
  public static final SchemaVersion TOTAL_CENTS_ADDED = SchemaVersion.parse("2");
  public static final SchemaVersion TOTAL_CENTS_FILLED = SchemaVersion.parse("3");
  public static final SchemaVersion TOTAL_DROPPED = SchemaVersion.parse("4");

  private OrdersSchema() {}

  /** The amount columns of {@code orders} at {@code version}. */
  public static Columns columnsAt(SchemaVersion version) {
    return new Columns(version.isBefore(TOTAL_DROPPED), version.isAtLeast(TOTAL_CENTS_ADDED));
  }

  /** The versions the application serves correctly while its flags give these spreads. */
  public static SchemaRange supported(FlagSpread dualWrite, FlagSpread readCents) {
    SchemaVersion min = CREATED;
    if (dualWrite.mayBeOn()) {
      min = TOTAL_CENTS_ADDED;
    }
    if (readCents.mayBeOn()) {
      min = dualWrite.mayBeOff() ? TOTAL_DROPPED : TOTAL_CENTS_FILLED;
    }
    SchemaVersion max = readCents.mayBeOff() ? TOTAL_CENTS_FILLED : TOTAL_DROPPED;
    return new SchemaRange(min, max);
  }
}
