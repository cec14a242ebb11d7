package dev.lockstep.examples.orders;

/**
 * An order has no amount in the column the request reads: a row written without dual writes and not
 * filled since. Answered as an error rather than from the other column, so that a migration run out of
 * order shows instead of being papered over.
 */
public final class MissingAmountException extends RuntimeException {

  MissingAmountException(String message) {
    super(message);
  }
}
