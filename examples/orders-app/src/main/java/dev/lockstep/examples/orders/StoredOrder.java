package dev.lockstep.examples.orders;

import java.math.BigDecimal;

/**
 * An order as read, and which column its amount came from ({@code total} or {@code total_cents}), so
 * that whoever asked can tell which side of the migration answered.
 */
public record StoredOrder(long id, String customer, BigDecimal total, String source) {}
