package dev.lockstep.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the Go-style durations the spec uses ("2s", "1m30s", "1.5h", "250ms"). */
public final class Durations {

  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming {@code field} when the text is not a duration
   */
  public static Duration parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(field + " is empty; write a duration such as 30s, 2m or 1h");
    }
    Matcher m = PART.matcher(text.trim());
    long millis = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      double amount = Double.parseDouble(m.group(1));
      millis += (long) (amount * unitMillis(m.group(2)));
      end = m.end();
    }
    if (end != text.trim().length() || end == 0) {
      throw new IllegalArgumentException(
          field + " is \"" + text + "\", which is not a duration; write one such as 30s, 2m or 1h");
    }
    return Duration.ofMillis(millis);
  }

  /** Like {@link #parse} but {@code fallback} when the text is absent. */
  public static Duration parseOr(String text, String field, Duration fallback) {
    return text == null ? fallback : parse(text, field);
  }

  /** Formats a duration the way the spec writes them ("1m30s"). */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      out.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0 || out.length() == 0) {
      out.append(s).append('s');
    }
    return out.toString();
  }

  private static long unitMillis(String unit) {
    switch (unit) {
      case "ms":
        return 1;
      case "s":
        return 1_000;
      case "m":
        return 60_000;
      default:
        return 3_600_000;
    }
  }
}
