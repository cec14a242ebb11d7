package dev.lockstep.rehearse.report;

import static dev.lockstep.rehearse.report.Svg.esc;
import static dev.lockstep.rehearse.report.Svg.num;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepStatus;
import dev.lockstep.rehearse.RehearsalResult;
import dev.lockstep.rehearse.traffic.Figures;
import dev.lockstep.rehearse.traffic.SegmentFigures;
import dev.lockstep.rehearse.traffic.TrafficReport;
import dev.lockstep.rehearse.traffic.WriteCheck;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Collectors;

/**
 * {@code rehearse --report FILE.html}: one self-contained page (inline CSS and SVG, no script, nothing
 * fetched) that shows the rehearsal as people look at it: the timeline, what traffic felt over time,
 * the per-step table and the final state of every resource.
 */
public final class HtmlReport {

  private HtmlReport() {}

  public static String render(RehearsalResult result, String outcome) {
    Charts charts = new Charts(result);
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>lockstep rehearse</title><style>").append(STYLE).append("</style></head><body>\n");
    html.append("<h1>lockstep rehearse</h1>\n<p class=\"outcome\">").append(esc(outcome)).append(" &middot; ")
        .append(num(result.seconds())).append(" s").append(result.timedOut() ? " (timed out)" : "").append("</p>\n");
    html.append("<ul class=\"migrations\">");
    for (SchemaMigration m : result.migrations()) {
      var status = m.getStatus();
      html.append("<li><b>").append(esc(m.getMetadata().getNamespace() + "/" + m.getMetadata().getName()))
          .append("</b> <span class=\"phase-name\">").append(status == null ? "not started" : esc(String.valueOf(status.getPhase())))
          .append("</span> at schema version ").append(esc(status == null ? "-" : status.getSchemaVersion()))
          .append("</li>");
    }
    html.append("</ul>\n");
    if (!result.injected().isEmpty()) {
      html.append("<h2>Injected faults</h2><ul class=\"injected\">");
      for (RehearsalResult.InjectedFault f : result.injected()) {
        html.append("<li><b>").append(esc(f.fault())).append("</b> at ").append(num(f.atSeconds())).append(" s: ")
            .append(esc(f.what())).append("</li>");
      }
      html.append("</ul>\n");
    }
    TrafficReport traffic = result.traffic();
    if (traffic != null) {
      html.append(summary(traffic));
    }
    html.append("<h2>Timeline</h2>\n").append(legend()).append(charts.timeline());
    if (traffic != null) {
      html.append("<h2>Requests</h2>\n").append(charts.rate());
      html.append("<h2>Latency</h2>\n").append(charts.latency());
      html.append("<h2>Per step</h2>\n").append(stepTable(traffic));
    } else {
      html.append("<p>No traffic was sent: rehearse with <code>--traffic RATE</code> to see what users would feel.</p>");
    }
    html.append("<h2>Final state</h2>\n<div id=\"resources\">").append(resources(result)).append("</div>\n");
    return html.append("</body></html>\n").toString();
  }

  private static String summary(TrafficReport traffic) {
    Figures t = traffic.total();
    WriteCheck w = traffic.writes();
    return "<div class=\"figures\" id=\"summary\">"
        + figure("requests", String.valueOf(t.requests()), traffic.rate() + "/s to " + traffic.target())
        + figure("failed", String.valueOf(t.failed()), t.failures().isEmpty() ? "none" : kinds(t))
        + figure("p50 / p99", num(t.p50Ms()) + " / " + num(t.p99Ms()) + " ms", "from when each request was due")
        + figure("max", num(t.maxMs()) + " ms", "")
        + (w.checked()
            ? figure("lost / wrong", w.lost() + " / " + w.wrong(), w.records() + " records read back"
                + (w.unverified() > 0 ? ", " + w.unverified() + " unverified" : ""))
            : figure("writes", "not checked", "traffic file"))
        + "</div>\n";
  }

  private static String figure(String name, String value, String note) {
    return "<div class=\"figure\"><div class=\"name\">" + esc(name) + "</div><div class=\"value\">" + esc(value)
        + "</div><div class=\"note\">" + esc(note) + "</div></div>";
  }

  private static String legend() {
    return "<p class=\"legend-line\"><span class=\"key migrate\"></span>migrate <span class=\"key backfill\"></span>backfill"
        + " <span class=\"key flags\"></span>flags <span class=\"key wait\"></span>wait"
        + " <span class=\"key undo\"></span>undo (rollback) <span class=\"key inject\"></span>injected fault</p>\n";
  }

  private static String stepTable(TrafficReport traffic) {
    StringBuilder table = new StringBuilder("<table id=\"steps\"><thead><tr><th>step</th><th>phase</th>"
        + "<th>from s</th><th>to s</th><th>requests</th><th>failed</th><th>p50 ms</th><th>p99 ms</th>"
        + "<th>max ms</th><th>failures</th></tr></thead><tbody>\n");
    for (SegmentFigures s : traffic.segments()) {
      String step = s.segment().migration() == null ? s.segment().label()
          : s.segment().migration().substring(s.segment().migration().indexOf('/') + 1) + " " + s.segment().label();
      table.append(row(step, s.segment().phase(), num(s.startSeconds()), num(s.endSeconds()), s.figures(),
          s.segment().undo() ? "undo" : ""));
    }
    for (TrafficReport.PhaseFigures p : traffic.phases()) {
      table.append(row(p.phase(), "", "", "", p.figures(), "phase-row"));
    }
    table.append(row("all", "", "", "", traffic.total(), "total-row"));
    return table.append("</tbody></table>\n").toString();
  }

  private static String row(String step, String phase, String from, String to, Figures f, String cls) {
    return "<tr class=\"" + cls + (f.failed() > 0 ? " has-failures" : "") + "\"><td>" + esc(step) + "</td><td>"
        + esc(phase) + "</td><td>" + from + "</td><td>" + to + "</td><td>" + f.requests() + "</td><td>" + f.failed()
        + "</td><td>" + num(f.p50Ms()) + "</td><td>" + num(f.p99Ms()) + "</td><td>" + num(f.maxMs()) + "</td><td>"
        + esc(kinds(f)) + "</td></tr>\n";
  }

  private static String kinds(Figures f) {
    return f.failures().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }

  private static String resources(RehearsalResult result) {
    StringBuilder out = new StringBuilder();
    for (SchemaMigration m : result.migrations()) {
      var status = m.getStatus();
      out.append("<h3>SchemaMigration ").append(esc(m.getMetadata().getNamespace() + "/" + m.getMetadata().getName()))
          .append("</h3>");
      if (status == null) {
        out.append("<p>not started</p>");
        continue;
      }
      out.append("<p>").append(esc(String.valueOf(status.getPhase()))).append(" &middot; schema version ")
          .append(esc(status.getSchemaVersion())).append(" &middot; ").append(esc(status.getMessage()));
      if (status.getRollbackReason() != null) {
        out.append("<br>rollback: ").append(esc(status.getRollbackReason()));
      }
      out.append("</p><table class=\"status\"><thead><tr><th>step</th><th>state</th><th>attempts</th>"
          + "<th>started</th><th>finished</th><th>message</th></tr></thead><tbody>");
      for (StepStatus step : status.getSteps() == null ? java.util.List.<StepStatus>of() : status.getSteps()) {
        out.append("<tr class=\"state-").append(esc(String.valueOf(step.getState()))).append("\"><td>")
            .append(esc(step.getName())).append("</td><td>").append(esc(String.valueOf(step.getState())))
            .append("</td><td>").append(step.getAttempts() == null ? "" : step.getAttempts()).append("</td><td>")
            .append(esc(step.getStartedAt())).append("</td><td>").append(esc(step.getFinishedAt())).append("</td><td>")
            .append(esc(step.getMessage())).append("</td></tr>");
      }
      out.append("</tbody></table>");
    }
    out.append("<h3>Every resource as it ended</h3>");
    for (HasMetadata resource : result.resources()) {
      out.append("<details><summary>").append(esc(resource.getKind() + " " + resource.getMetadata().getNamespace()
          + "/" + resource.getMetadata().getName())).append("</summary><pre>")
          .append(esc(Serialization.asYaml(resource))).append("</pre></details>\n");
    }
    return out.toString();
  }

  private static final String STYLE = """
      body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1d2330;max-width:1220px}
      h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 6px}h3{font-size:15px;margin:16px 0 4px}
      .outcome{font-size:15px;margin:0 0 6px}.migrations{margin:0;padding-left:18px}
      .figures{display:flex;gap:12px;margin:12px 0}.figure{border:1px solid #d6dbe4;border-radius:6px;padding:8px 12px;min-width:150px}
      .figure .name{color:#5b6478;font-size:12px}.figure .value{font-size:20px;font-weight:600}.figure .note{color:#5b6478;font-size:12px}
      svg{display:block;background:#fbfcfe;border:1px solid #e3e7ee;border-radius:6px}
      svg text{font:12px system-ui,sans-serif;fill:#1d2330}.lane{font-weight:600}.band-label{fill:#fff;font-size:11px}
      .tick{text-anchor:middle;fill:#5b6478}.value-label{text-anchor:end;fill:#5b6478}.grid{stroke:#e3e7ee}
      .band rect{fill:#8a94a6}.band.migrate rect{fill:#2f6fdb}.band.backfill rect{fill:#e07b14}.band.flags rect{fill:#8e44ad}
      .band.wait rect{fill:#7d8799}.band.undo rect{fill:#c0392b}.band.state-Failed rect,.band.state-UndoFailed rect{stroke:#c0392b;stroke-width:2;fill-opacity:.6}
      .band.phase rect{fill:#aab4c4}.band.Progressing rect{fill:#3c9d5d}.band.WaitingForApproval rect{fill:#d4a017}
      .band.RollingBack rect{fill:#c0392b}.band.RolledBack rect,.band.Failed rect{fill:#7f1d1d}.band.Succeeded rect{fill:#1f6e3a}
      .requests{fill:#9fb3d1}.failed{fill:#c0392b}.line{fill:none;stroke-width:2}.line.p50{stroke:#2f6fdb}.line.p99{stroke:#e07b14}
      rect.p50{fill:#2f6fdb}rect.p99{fill:#e07b14}
      .marker line{stroke-width:1;stroke-dasharray:4 3;stroke:#8a94a6}.marker.flags line{stroke:#8e44ad}.marker.migrate line{stroke:#2f6fdb}
      .marker.backfill line{stroke:#e07b14}.marker.rollback line{stroke:#c0392b;stroke-width:1.5}.marker.inject line{stroke:#c0392b;stroke-dasharray:none;stroke-width:2}
      .marker-label{font-size:10px;fill:#5b6478}.marker.inject .marker-label,.marker.rollback .marker-label{fill:#c0392b}
      .legend-line .key{display:inline-block;width:12px;height:12px;border-radius:2px;margin:0 4px 0 12px;vertical-align:-1px}
      .key.migrate{background:#2f6fdb}.key.backfill{background:#e07b14}.key.flags{background:#8e44ad}.key.wait{background:#7d8799}
      .key.undo{background:#c0392b}.key.inject{background:#fff;border:2px solid #c0392b;box-sizing:border-box}
      table{border-collapse:collapse;margin:6px 0}th,td{border-bottom:1px solid #e3e7ee;padding:3px 8px;text-align:right}
      th:first-child,th:nth-child(2),td:first-child,td:nth-child(2),td:last-child,th:last-child{text-align:left}tr.undo td{color:#c0392b}
      tr.has-failures td{background:#fdecea}tr.phase-row td,tr.total-row td{font-weight:600}
      table.status td{text-align:left}pre{background:#f4f6fa;padding:8px;overflow:auto;font-size:12px}
      """;
}
