package dev.lockstep.world.database;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * How to reach one database: what a platform team puts in the Secret a SchemaMigration names.
 *
 * <p>{@link #toString()} leaves the password out, so a login can be logged safely.
 */
public record DatabaseLogin(String jdbcUrl, String username, String password) {

  /** Secret keys, as the product contract names them. */
  public static final String URL_KEY = "url";
  public static final String USERNAME_KEY = "username";
  public static final String PASSWORD_KEY = "password";

  public DataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl);
    if (username != null) {
      dataSource.setUser(username);
    }
    if (password != null) {
      dataSource.setPassword(password);
    }
    return dataSource;
  }

  /**
   * The Secret holding this login under the keys {@code url}, {@code username} and {@code
   * password}, base64-encoded in {@code data} as the API server stores it.
   */
  public Secret toSecret(String namespace, String name) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(URL_KEY, base64(jdbcUrl));
    if (username != null) {
      data.put(USERNAME_KEY, base64(username));
    }
    if (password != null) {
      data.put(PASSWORD_KEY, base64(password));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "DatabaseLogin[jdbcUrl=" + jdbcUrl + ", username=" + username + ", password=***]";
  }
}
