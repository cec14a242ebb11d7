package dev.lockstep.lint.ddl;

import dev.lockstep.lint.ddl.Ddl.DomainChange;

/** CREATE DOMAIN and ALTER DOMAIN, read as far as the rules need: what they do to stored values. */
final class DomainParser {

  private DomainParser() {}

  /** The rest of {@code CREATE DOMAIN}: its name, then type, default and constraints. */
  static Ddl createDomain(TokenCursor cursor) {
    String domain = cursor.name();
    if (domain == null) {
      return new Ddl.Other();
    }
    boolean constrained = cursor.restContainsWords("check") || cursor.restContainsWords("not", "null");
    return new Ddl.CreateDomain(domain, constrained);
  }

  /** The rest of {@code ALTER DOMAIN}: its name, then one action. */
  static Ddl alterDomain(TokenCursor cursor) {
    String domain = cursor.name();
    if (domain == null) {
      return new Ddl.Other();
    }
    DomainChange change = DomainChange.OTHER;
    if (cursor.accept("add")) {
      change = cursor.restContainsWords("not", "valid") ? DomainChange.ADD_NOT_VALID : DomainChange.CHECKS_STORED_VALUES;
    } else if (cursor.accept("set", "not", "null")) {
      change = DomainChange.CHECKS_STORED_VALUES;
    } else if (cursor.accept("validate", "constraint")) {
      change = DomainChange.VALIDATE_CONSTRAINT;
    }
    return new Ddl.AlterDomain(domain, change);
  }
}
