package dev.lockstep.rehearse.traffic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The orders this traffic wrote and what each must read back as. An order is used by one request at a
 * time (a read or an update), so "the last acknowledged write" is well defined; a write that got no
 * answer may or may not have happened, so both amounts are acceptable until the next acknowledged one.
 */
final class OrderLedger {

  /** One order written by the traffic. */
  static final class Order {
    final long id;
    private final Set<BigDecimal> acceptable = new HashSet<>();
    private boolean busy;
    private long acknowledgedWrites;

    private Order(long id, BigDecimal amount) {
      this.id = id;
      this.acceptable.add(amount.stripTrailingZeros());
      this.acknowledgedWrites = 1;
    }

    synchronized boolean accepts(BigDecimal amount) {
      return acceptable.contains(amount.stripTrailingZeros());
    }

    synchronized String expected() {
      return acceptable.stream().map(BigDecimal::toPlainString).sorted().toList().toString();
    }
  }

  private final List<Order> orders = new ArrayList<>();
  private final Random random;

  OrderLedger(Random random) {
    this.random = random;
  }

  synchronized void created(long id, BigDecimal amount) {
    orders.add(new Order(id, amount));
  }

  /** An order no other request is using, marked busy; {@code null} when none is free. */
  synchronized Order borrow() {
    for (int attempt = 0; attempt < 8 && !orders.isEmpty(); attempt++) {
      Order order = orders.get(random.nextInt(orders.size()));
      if (!order.busy) {
        order.busy = true;
        return order;
      }
    }
    return null;
  }

  synchronized void giveBack(Order order) {
    order.busy = false;
  }

  /** An update was acknowledged: from now on only {@code amount} is right. */
  synchronized void updated(Order order, BigDecimal amount) {
    order.acceptable.clear();
    order.acceptable.add(amount.stripTrailingZeros());
    order.acknowledgedWrites++;
  }

  /** An update got no answer or failed: the order may have either amount. */
  synchronized void maybeUpdated(Order order, BigDecimal amount) {
    order.acceptable.add(amount.stripTrailingZeros());
  }

  synchronized List<Order> all() {
    return List.copyOf(orders);
  }

  synchronized long acknowledgedWrites() {
    return orders.stream().mapToLong(o -> o.acknowledgedWrites).sum();
  }
}
