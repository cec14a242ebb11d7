package dev.lockstep.jobs;

import dev.lockstep.api.SchemaMigration;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a backfill's progress row ({@code lockstep_backfill_progress}, written by the runner with
 * each batch) with the migration's own credentials. One short read-only query per look; any
 * failure means "unknown", never a failed step — progress is a courtesy.
 */
public final class DatabaseBackfillProgress implements BackfillProgress {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseBackfillProgress.class);
  private static final String QUERY =
      "SELECT rows_done, estimated_rows, rows_per_second, throttled FROM lockstep_backfill_progress WHERE checkpoint = ?";

  private final KubernetesClient client;

  public DatabaseBackfillProgress(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<String> describe(SchemaMigration migration, String checkpoint) {
    Secret secret = client.secrets().inNamespace(migration.getMetadata().getNamespace())
        .withName(migration.getSpec().getDatabase().getSecretRef().getName()).get();
    if (secret == null) {
      return Optional.empty();
    }
    String url = value(secret, "url");
    if (url == null) {
      return Optional.empty();
    }
    Properties login = new Properties();
    login.setProperty("user", String.valueOf(value(secret, "username")));
    login.setProperty("password", String.valueOf(value(secret, "password")));
    login.setProperty("connectTimeout", "2");
    login.setProperty("socketTimeout", "5");
    login.setProperty("readOnly", "true");
    try (Connection c = DriverManager.getConnection(url, login); PreparedStatement q = c.prepareStatement(QUERY)) {
      q.setString(1, checkpoint);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long done = rs.getLong(1);
        long estimated = rs.getLong(2);
        double rate = rs.getDouble(3);
        String throttled = rs.getString(4);
        String text = done + (estimated > 0 ? "/" + Math.max(estimated, done) : "") + " rows";
        text = rate > 0 ? text + ", " + Math.round(rate) + " rows/s" : text;
        // The runner sets it while a throttle holds the batches back, and its next batch clears it.
        return Optional.of(throttled == null ? text : text + ", throttled: " + throttled);
      }
    } catch (SQLException e) {
      // The table may not exist yet (the Job has not started); the database may be out of reach.
      LOG.debug("No backfill progress for {}: {}", checkpoint, e.getSQLState());
      return Optional.empty();
    }
  }

  private static String value(Secret secret, String key) {
    Map<String, String> text = secret.getStringData();
    if (text != null && text.containsKey(key)) {
      return text.get(key);
    }
    Map<String, String> data = secret.getData();
    if (data != null && data.containsKey(key)) {
      return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
    }
    return null;
  }
}
