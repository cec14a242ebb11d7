package dev.lockstep.examples.orders;

/** A request needs a column the schema does not have at its current version. */
public final class UnsupportedSchemaException extends RuntimeException {

  UnsupportedSchemaException(String message) {
    super(message);
  }
}
