package dev.lockstep.lint.rules;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL's table-level lock modes, weakest first (see "Explicit Locking" in the PostgreSQL manual).
 */
public enum LockMode {
  ACCESS_SHARE,
  ROW_SHARE,
  ROW_EXCLUSIVE,
  SHARE_UPDATE_EXCLUSIVE,
  SHARE,
  SHARE_ROW_EXCLUSIVE,
  EXCLUSIVE,
  ACCESS_EXCLUSIVE;

  /** As the manual and LOCK TABLE write it: {@code ACCESS EXCLUSIVE}. */
  public String sqlName() {
    return name().replace('_', ' ');
  }

  /** The mode of a {@code pg_locks.mode} value such as {@code AccessExclusiveLock}, or null. */
  public static LockMode fromPgLocks(String mode) {
    for (LockMode lockMode : values()) {
      if (lockMode.pgLocksName().equals(mode)) {
        return lockMode;
      }
    }
    return null;
  }

  /** As {@code pg_locks.mode} shows it: {@code AccessExclusiveLock}. */
  public String pgLocksName() {
    StringBuilder name = new StringBuilder();
    for (String part : name().split("_")) {
      name.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.append("Lock").toString();
  }

  /**
   * What this lock on a table keeps other sessions from doing while it is held: plain SELECTs take
   * ACCESS SHARE, INSERT/UPDATE/DELETE take ROW EXCLUSIVE.
   */
  public Set<Blocked> blocks() {
    Set<Blocked> blocked = EnumSet.noneOf(Blocked.class);
    if (conflictsWith(ACCESS_SHARE)) {
      blocked.add(Blocked.READS);
    }
    if (conflictsWith(ROW_EXCLUSIVE)) {
      blocked.add(Blocked.WRITES);
    }
    return blocked;
  }

  /** The lock conflict table of the PostgreSQL manual. */
  public boolean conflictsWith(LockMode other) {
    return switch (this) {
      case ACCESS_SHARE -> other == ACCESS_EXCLUSIVE;
      case ROW_SHARE -> other.compareTo(EXCLUSIVE) >= 0;
      case ROW_EXCLUSIVE -> other.compareTo(SHARE) >= 0;
      case SHARE_UPDATE_EXCLUSIVE -> other.compareTo(SHARE_UPDATE_EXCLUSIVE) >= 0;
      case SHARE -> other == ROW_EXCLUSIVE || other == SHARE_UPDATE_EXCLUSIVE || other.compareTo(SHARE_ROW_EXCLUSIVE) >= 0;
      case SHARE_ROW_EXCLUSIVE -> other.compareTo(ROW_EXCLUSIVE) >= 0;
      case EXCLUSIVE -> other.compareTo(ROW_SHARE) >= 0;
      case ACCESS_EXCLUSIVE -> true;
    };
  }

  public LockMode max(LockMode other) {
    return other == null || compareTo(other) >= 0 ? this : other;
  }
}
