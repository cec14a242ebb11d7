package dev.lockstep.validate;

import dev.lockstep.scripts.ScriptInventory;

import dev.lockstep.flags.FlagSet;
import java.util.Set;

/**
 * What the validator needs to know about the world, gathered by the reconciler beforehand so that
 * validation itself is plain code.
 *
 * @param secretKeys the keys of the database Secret, or {@code null} when it does not exist
 * @param scripts the scripts in the scripts ConfigMap, {@code null} when that ConfigMap does not
 *     exist, or {@link #SCRIPTS_IN_IMAGE} when they come from an image the operator cannot read
 * @param flags the flags of {@code spec.flagSource}, or {@code null} when there is none or it could
 *     not be read
 * @param flagSourceProblem why the flag source could not be read, or {@code null}
 * @param urlScheme how the Secret's {@code url} begins, up to its second colon ({@code jdbc:postgresql:},
 *     {@code postgres:}), {@code ""} when it has no scheme, {@code null} when unknown; never more of the
 *     URL, which may carry credentials
 */
public record ValidationFacts(Set<String> secretKeys, ScriptInventory scripts, FlagSet flags, String flagSourceProblem,
    String urlScheme) {

  public ValidationFacts(Set<String> secretKeys, ScriptInventory scripts) {
    this(secretKeys, scripts, null, null, null);
  }

  public ValidationFacts(Set<String> secretKeys, ScriptInventory scripts, FlagSet flags, String flagSourceProblem) {
    this(secretKeys, scripts, flags, flagSourceProblem, null);
  }

  /** The scheme of a JDBC or other URL, as {@link #urlScheme} holds it. */
  public static String schemeOf(String url) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([a-z][a-z0-9+.-]*:(?:[a-z][a-z0-9+.-]*:)?)")
        .matcher(url.strip());
    if (!m.find()) {
      return "";
    }
    String scheme = m.group(1);
    // "jdbc:postgresql:" keeps both parts; "postgres://u:p@h" only "postgres:", never what follows "//".
    return scheme.startsWith("jdbc:") ? scheme : scheme.substring(0, scheme.indexOf(':') + 1);
  }

  /** Scripts that come from an image: the runner checks versions when it runs. */
  public static final ScriptInventory SCRIPTS_IN_IMAGE = ScriptInventory.of(Set.of());
}
