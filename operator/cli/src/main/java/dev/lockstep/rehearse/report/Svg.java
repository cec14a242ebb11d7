package dev.lockstep.rehearse.report;

import java.util.Locale;

/** A few helpers for writing SVG by hand: numbers without locale surprises, and escaped text. */
final class Svg {

  private Svg() {}

  static String num(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Seconds as people read them on an axis: 0, 5, 10, ... with a step that keeps about 10 ticks. */
  static double tickStep(double span) {
    double[] steps = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600};
    for (double step : steps) {
      if (span / step <= 12) {
        return step;
      }
    }
    return 1200;
  }

  /** A round upper bound for a value axis. */
  static double niceMax(double value) {
    if (value <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= value) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
