package dev.lockstep.lint.rules;

import java.util.Locale;

/** How much a statement or step can hurt a running application. HIGH needs a person's approval. */
public enum Risk {
  /** Nothing found, or only brief metadata locks. */
  LOW,
  /** Worth a look; does not need approval. */
  MODERATE,
  /** Blocks reads or writes for as long as the table is big, loses data or breaks running clients. */
  HIGH;

  /** As JSON writes it: {@code low}, {@code moderate}, {@code high}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** As the SchemaMigration status writes it: {@code Low}, {@code Moderate}, {@code High}. */
  public String title() {
    return name().charAt(0) + label().substring(1);
  }

  public Risk max(Risk other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
