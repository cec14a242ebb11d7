package dev.lockstep.examples.orders;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A schema version as Flyway writes and orders them: numbers separated by dots, compared part by
 * part as numbers ({@code 1.10} comes after {@code 1.9}), trailing zero parts ignored ({@code 1.0}
 * equals {@code 1}).
 */
public final class SchemaVersion implements Comparable<SchemaVersion> {

  private final String text;
  private final List<BigInteger> parts;

  private SchemaVersion(String text, List<BigInteger> parts) {
    this.text = text;
    this.parts = parts;
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not numbers separated by dots
   */
  public static SchemaVersion parse(String text) {
    if (text == null || !text.matches("\\d+(\\.\\d+)*")) {
      throw new IllegalArgumentException("\"" + text + "\" is not a schema version (numbers separated by dots)");
    }
    List<BigInteger> parts = new ArrayList<>();
    for (String part : text.split("\\.")) {
      parts.add(new BigInteger(part));
    }
    while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
      parts.remove(parts.size() - 1);
    }
    return new SchemaVersion(text, List.copyOf(parts));
  }

  public boolean isBefore(SchemaVersion other) {
    return compareTo(other) < 0;
  }

  public boolean isAtLeast(SchemaVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(SchemaVersion other) {
    int length = Math.max(parts.size(), other.parts.size());
    for (int i = 0; i < length; i++) {
      BigInteger mine = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
      BigInteger theirs = i < other.parts.size() ? other.parts.get(i) : BigInteger.ZERO;
      int order = mine.compareTo(theirs);
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SchemaVersion version && compareTo(version) == 0;
  }

  @Override
  public int hashCode() {
    return parts.hashCode();
  }

  /** The version as it was written. */
  @Override
  public String toString() {
    return text;
  }
}
