package dev.lockstep.runner;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of what the runner writes. Messages are built from known-safe parts — the
 * server's error text, SQLSTATEs, file names — and the one part that may carry a secret, a JDBC URL
 * quoted by a driver or by Flyway, is rewritten without its user info and its credential parameters.
 *
 * <p>The password's own text is never searched for and replaced: with a short or common password
 * ({@code x}, {@code 1}, {@code postgres}) that garbles every message and tells a reader the password.
 */
public final class CredentialFreeText {

  /** A JDBC URL as it appears inside a message: up to whitespace, a quote or a closing bracket. */
  private static final Pattern JDBC_URL = Pattern.compile("jdbc:[^\\s'\"()<>\\[\\]{}]+");

  /** {@code //user:password@host}: the user info of the URL's authority. */
  private static final Pattern USER_INFO = Pattern.compile("//[^/?#@]*@");

  /** Connection parameters that hold a secret or name a login, in any case. */
  private static final Set<String> SECRET_PARAMETERS = Set.of("password", "user", "sslpassword", "sslkey",
      "sslcert", "sslrootcert", "sslpasswordcallback", "jaasapplicationname", "kerberosservername",
      "authenticationpluginclassname");

  private CredentialFreeText() {}

  /** {@code text} with every JDBC URL in it made credential-free; {@code null} stays {@code null}. */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    Matcher matcher = JDBC_URL.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out, Matcher.quoteReplacement(url(matcher.group())));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** The URL without user info and without the parameters that carry credentials. */
  public static String url(String url) {
    String withoutUser = USER_INFO.matcher(url).replaceFirst("//");
    int query = withoutUser.indexOf('?');
    if (query < 0) {
      return withoutUser;
    }
    StringBuilder kept = new StringBuilder();
    for (String parameter : withoutUser.substring(query + 1).split("[&;]")) {
      String name = parameter.split("=", 2)[0].toLowerCase(Locale.ROOT);
      if (!parameter.isEmpty() && !SECRET_PARAMETERS.contains(name)) {
        kept.append(kept.length() == 0 ? "?" : "&").append(parameter);
      }
    }
    return withoutUser.substring(0, query) + kept;
  }
}
