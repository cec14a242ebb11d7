package dev.lockstep.examples.orders;

import java.math.BigDecimal;

/** Amounts in euros with cents, the two ways the schema stores them: numeric euros and integer cents. */
public final class Euros {

  private Euros() {}

  /**
   * @throws IllegalArgumentException for a negative amount, or one with fractions of a cent
   */
  public static long toCents(BigDecimal euros) {
    if (euros.signum() < 0) {
      throw new IllegalArgumentException("an amount cannot be negative, was " + euros.toPlainString());
    }
    try {
      return euros.movePointRight(2).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(euros.toPlainString() + " has fractions of a cent");
    }
  }

  public static BigDecimal fromCents(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }
}
