package dev.lockstep.world.cluster;

import dev.lockstep.runner.DatabaseCredentials;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a killed runner container leaves behind in PostgreSQL, ended: when a real runner process is
 * killed its connections close, while an in-process one's stay open. The node calls this on
 * SIGKILL; it terminates, with the container's own login, the sessions runners open (application
 * name {@code lockstep <command>}, as the soak's {@code database-session-killed} fault finds them)
 * on the container's database. The lease lets one runner at a time work on a database, so those
 * sessions are the killed container's.
 */
final class RunnerSessions {

  private static final Logger LOG = LoggerFactory.getLogger(RunnerSessions.class);

  private RunnerSessions() {}

  static void terminate(Map<String, String> env) {
    String url = env.get(DatabaseCredentials.URL_VARIABLE);
    if (url == null) {
      return; // the container never had a database to talk to
    }
    try (Connection connection = DriverManager.getConnection(url, env.get(DatabaseCredentials.USERNAME_VARIABLE),
        env.get(DatabaseCredentials.PASSWORD_VARIABLE));
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND application_name LIKE 'lockstep %' AND pid <> pg_backend_pid()");
    } catch (SQLException e) {
      // Only the SQL state: the message may quote the URL.
      LOG.warn("could not end the killed runner's database sessions (SQL state {})", e.getSQLState());
    }
  }
}
