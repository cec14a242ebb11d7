package dev.lockstep.rehearse.report;

import dev.lockstep.rehearse.traffic.Figures;
import dev.lockstep.rehearse.traffic.SegmentFigures;
import dev.lockstep.rehearse.traffic.TrafficReport;
import dev.lockstep.rehearse.traffic.WriteCheck;
import java.io.PrintStream;
import java.util.Locale;
import java.util.stream.Collectors;

/** The traffic's figures as text: one line per step (and undo), one per phase, and the writes' read-back. */
public final class TrafficTable {

  private static final String ROW = "%-44s %-18s %7s %8s %7s %8s %8s %8s  %s%n";

  private TrafficTable() {}

  public static void print(PrintStream out, TrafficReport traffic) {
    out.printf("traffic: %d requests/s to %s (%s)%n%n", traffic.rate(), traffic.target(), traffic.plan());
    out.printf(Locale.ROOT, ROW, "step", "phase", "from s", "requests", "failed", "p50 ms", "p99 ms", "max ms",
        "failures");
    for (SegmentFigures s : traffic.segments()) {
      String step = s.segment().migration() == null ? s.segment().label()
          : shortName(s.segment().migration()) + " " + s.segment().label();
      row(out, step, s.segment().phase(), String.format(Locale.ROOT, "%.1f", s.startSeconds()), s.figures());
    }
    out.println();
    for (TrafficReport.PhaseFigures p : traffic.phases()) {
      row(out, p.phase(), "", "", p.figures());
    }
    row(out, "all", "", "", traffic.total());
    WriteCheck writes = traffic.writes();
    out.println();
    if (writes.checked()) {
      out.printf("writes: %d acknowledged on %d records; read back: %d lost, %d wrong, %d unverified%n",
          writes.acknowledged(), writes.records(), writes.lost(), writes.wrong(), writes.unverified());
    } else {
      out.println("writes: not checked (a traffic file's calls are checked by their status only)");
    }
  }

  private static void row(PrintStream out, String step, String phase, String from, Figures f) {
    String failures = f.failures().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
    out.printf(Locale.ROOT, ROW, step, phase, from, f.requests(), f.failed(), ms(f.p50Ms()), ms(f.p99Ms()),
        ms(f.maxMs()), failures);
  }

  private static String ms(double value) {
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
  }

  private static String shortName(String migration) {
    return migration.substring(migration.indexOf('/') + 1);
  }
}
