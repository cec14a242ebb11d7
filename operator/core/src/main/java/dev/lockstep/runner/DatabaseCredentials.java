package dev.lockstep.runner;

/**
 * Where the runner connects, from the environment variables the Job gets from the database Secret.
 *
 * <p>{@link #toString()} never shows the password or the URL: a URL may carry a password too.
 */
public record DatabaseCredentials(String url, String username, String password) {

  public static final String URL_VARIABLE = "LOCKSTEP_DB_URL";
  public static final String USERNAME_VARIABLE = "LOCKSTEP_DB_USERNAME";
  public static final String PASSWORD_VARIABLE = "LOCKSTEP_DB_PASSWORD";

  /**
   * Reads the three variables.
   *
   * @throws RunnerFailure (bad input) naming the first variable that is missing or empty
   */
  public static DatabaseCredentials fromEnvironment(ContainerEnvironment environment) {
    return new DatabaseCredentials(
        required(environment, URL_VARIABLE, "the JDBC URL of the database"),
        required(environment, USERNAME_VARIABLE, "the database user"),
        required(environment, PASSWORD_VARIABLE, "the database password"));
  }

  private static String required(ContainerEnvironment environment, String name, String meaning) {
    String value = environment.env(name);
    if (value == null || value.isEmpty()) {
      throw RunnerFailure.badInput(
          "environment variable " + name + " is not set; it must hold " + meaning
              + " (the operator sets it from the database Secret)");
    }
    return value;
  }

  /**
   * {@code text} with every JDBC URL in it stripped of its user info and credential parameters (see
   * {@link CredentialFreeText}). The password's text itself is never searched for: messages are built
   * from parts that cannot hold it, and replacing a short password garbles them and gives it away.
   */
  public String redact(String text) {
    return CredentialFreeText.of(text);
  }

  @Override
  public String toString() {
    return "DatabaseCredentials[username=" + username + "]";
  }
}
