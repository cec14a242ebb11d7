package dev.lockstep.runner;

/** Quotes names and text for SQL the runner builds itself. */
public final class Identifiers {

  private Identifiers() {}

  /** A quoted identifier: {@code "name"}, with embedded quotes doubled; keeps the exact case. */
  public static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** {@code "schema"."name"}. */
  public static String quote(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }

  /** A standard string literal: {@code 'text'}, with embedded quotes doubled. */
  public static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
