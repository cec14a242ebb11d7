package dev.lockstep.lint.rules;

import java.util.Locale;

/** What a lock keeps the application's other sessions from doing on the table. */
public enum Blocked {
  READS,
  WRITES;

  /** As JSON writes it: {@code reads}, {@code writes}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
