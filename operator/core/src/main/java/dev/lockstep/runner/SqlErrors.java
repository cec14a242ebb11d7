package dev.lockstep.runner;

import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Reads SQL errors the way the runner reports them: one line, with the SQLSTATE, no stack trace. */
public final class SqlErrors {

  /** lock_not_available: a statement gave up waiting for a lock after lock_timeout. */
  public static final String LOCK_NOT_AVAILABLE = "55P03";
  /** deadlock_detected: PostgreSQL cancelled one side of a deadlock; its transaction is rolled back. */
  public static final String DEADLOCK_DETECTED = "40P01";

  private static final Set<String> LOCK_CONFLICTS = Set.of(LOCK_NOT_AVAILABLE, DEADLOCK_DETECTED);

  /**
   * The server went away under the session: admin_shutdown (a terminated backend, a fast
   * shutdown), crash_shutdown, cannot_connect_now (still starting up); class 08 covers a refused or
   * broken connection.
   */
  private static final Set<String> CONNECTION_LOST = Set.of("57P01", "57P02", "57P03");

  /**
   * Failures to connect that no wait cures: a wrong password (invalid_password), a login refused
   * (invalid_authorization_specification), a database that does not exist (invalid_catalog_name).
   */
  private static final Set<String> CANNOT_CONNECT = Set.of("28P01", "28000", "3D000");

  private SqlErrors() {}

  /** The first {@link SQLException} in the cause chain of {@code failure} (Flyway wraps them). */
  public static Optional<SQLException> find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sqlException) {
        return Optional.of(sqlException);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code failure} is a lock conflict after which the work was rolled back, so that
   * running it again later is safe and may succeed.
   */
  public static boolean isLockConflict(Throwable failure) {
    return find(failure).map(e -> LOCK_CONFLICTS.contains(e.getSQLState())).orElse(false);
  }

  /**
   * Whether {@code failure} came from losing the connection to the server, after which the server
   * rolled back the open transaction: running the command again on a new connection is safe.
   */
  public static boolean isConnectionLost(Throwable failure) {
    if (cannotConnect(failure)) {
      return false;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || CONNECTION_LOST.contains(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code failure} says the database cannot be reached as configured, which waiting does
   * not change: an unknown host (the driver reports it as class 08, with the lookup's exception as
   * its cause), a wrong password or login, a database that does not exist. A refused connection is
   * not among them: a server that restarts refuses connections for a while.
   */
  public static boolean cannotConnect(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException
          || t instanceof SQLException sql && CANNOT_CONNECT.contains(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** "{@code <server message>} (SQLSTATE xxxxx)": the part of an SQL error a person needs. */
  public static String describe(SQLException e) {
    String message = null;
    if (e instanceof PSQLException psql) {
      ServerErrorMessage server = psql.getServerErrorMessage();
      if (server != null) {
        message = server.getMessage();
      }
    }
    if (message == null) {
      message = e.getMessage();
    }
    String state = e.getSQLState();
    return oneLine(message) + (state == null ? "" : " (SQLSTATE " + state + ")");
  }

  /**
   * Describes {@code failure} by its SQL error if it has one, else by its own message; an unknown
   * host by its name, which the driver's own message ("The connection attempt failed.") leaves out.
   */
  public static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException unknown) {
        return unknownHost(oneLine(messageOf(unknown)));
      }
    }
    return find(failure).map(SqlErrors::describe).orElseGet(() -> oneLine(messageOf(failure)));
  }

  /**
   * The driver takes everything between {@code //} and the port for the host, so a URL with user
   * info ({@code //user:secret@host}) makes a "host" that holds the password: name only what follows
   * the last {@code @}, and say why the URL cannot carry a login.
   */
  private static String unknownHost(String host) {
    int at = host.lastIndexOf('@');
    if (at < 0) {
      return "unknown database host " + host + ": check the host in the JDBC URL (the database Secret's url)";
    }
    return "unknown database host: the JDBC URL (the database Secret's url) has a user name or password before"
        + " '@" + host.substring(at + 1) + "', which the PostgreSQL driver reads as part of the host; put the"
        + " login in the Secret's username and password keys and keep the URL to host, port and database";
  }

  private static String messageOf(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }

  /** Folds line breaks and runs of spaces into single spaces. */
  public static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", " ");
  }
}
