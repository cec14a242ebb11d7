package dev.lockstep.examples.orders;

/**
 * Which of the two amount columns the {@code orders} table has: {@code total} (numeric euros, the
 * old one) and {@code total_cents} (integer cents, the new one).
 */
public record Columns(boolean total, boolean totalCents) {}
