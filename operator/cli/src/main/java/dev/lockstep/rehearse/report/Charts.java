package dev.lockstep.rehearse.report;

import static dev.lockstep.rehearse.report.Svg.esc;
import static dev.lockstep.rehearse.report.Svg.num;

import dev.lockstep.rehearse.Band;
import dev.lockstep.rehearse.RehearsalResult;
import dev.lockstep.rehearse.traffic.SecondFigures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's three pictures over one time axis: the bands of phases and steps, the request rate
 * with failures, and the p50/p99 latency; markers (flag flips, migrations, backfills, rollbacks,
 * injected faults) cross all three.
 */
final class Charts {

  static final int WIDTH = 1200;
  private static final int LEFT = 190;
  private static final int RIGHT = 20;
  private static final int ROW = 26;

  private final RehearsalResult result;
  /** The axis runs from the first thing that happened to the last, in whole multiples of 5 s. */
  private final double from;
  private final double span;

  Charts(RehearsalResult result) {
    this.result = result;
    double first = result.seconds();
    double last = 0;
    for (Band band : result.bands()) {
      first = Math.min(first, band.startSeconds());
      last = Math.max(last, band.endSeconds());
    }
    if (result.traffic() != null) {
      for (SecondFigures s : result.traffic().seconds()) {
        first = Math.min(first, s.second());
        last = Math.max(last, s.second() + 1);
      }
    }
    this.from = Math.floor(Math.min(first, last) / 5) * 5;
    this.span = Math.max(1, last - from);
  }

  private double x(double seconds) {
    return LEFT + (WIDTH - LEFT - RIGHT) * Math.max(0, Math.min(seconds - from, span)) / span;
  }

  /** A marker: a moment worth a vertical line. */
  record Marker(double seconds, String kind, String label) {}

  List<Marker> markers() {
    List<Marker> markers = new ArrayList<>();
    for (Band band : result.bands()) {
      if (band.describesPhase()) {
        if (band.label().equals("RollingBack")) {
          markers.add(new Marker(band.startSeconds(), "rollback", "rollback starts"));
        }
        continue;
      }
      boolean undo = band.label().startsWith("undo ");
      switch (band.kind()) {
        case "flags" -> markers.add(new Marker(band.startSeconds(), undo ? "rollback" : "flags",
            (undo ? "" : "flag flip: ") + band.label()));
        case "migrate" -> markers.add(new Marker(band.startSeconds(), undo ? "rollback" : "migrate",
            (undo ? "" : "migration: ") + band.label()));
        case "backfill" -> markers.add(new Marker(band.startSeconds(), undo ? "rollback" : "backfill",
            (undo ? "" : "backfill: ") + band.label()));
        default -> { }
      }
    }
    for (RehearsalResult.InjectedFault fault : result.injected()) {
      markers.add(new Marker(fault.atSeconds(), "inject", "inject " + fault.fault()));
    }
    return markers;
  }

  String timeline() {
    Map<String, List<Band>> byMigration = new LinkedHashMap<>();
    result.migrations().forEach(m -> byMigration.put(m.getMetadata().getNamespace() + "/" + m.getMetadata().getName(),
        new ArrayList<>()));
    for (Band band : result.bands()) {
      byMigration.computeIfAbsent(band.migration(), m -> new ArrayList<>()).add(band);
    }
    int height = 30 + byMigration.size() * (2 * ROW + 12) + 20;
    StringBuilder svg = open("timeline", height, "Phases and steps over time");
    int y = 24;
    for (Map.Entry<String, List<Band>> migration : byMigration.entrySet()) {
      String name = migration.getKey().substring(migration.getKey().indexOf('/') + 1);
      svg.append(text(8, y + 17, name + " phase", "lane"));
      svg.append(text(8, y + ROW + 17, name + " steps", "lane"));
      for (Band band : migration.getValue()) {
        int rowY = band.describesPhase() ? y : y + ROW;
        String kind = band.describesPhase() ? "phase " + band.label() : band.kind();
        String undo = band.label().startsWith("undo ") ? " undo" : "";
        String state = " state-" + band.state();
        double x0 = x(band.startSeconds());
        double w = Math.max(2, x(band.endSeconds()) - x0);
        svg.append("<g class=\"band ").append(esc(kind)).append(undo).append(esc(state)).append("\">")
            .append("<title>").append(esc(band.label() + " (" + band.kind() + ", " + band.state() + "): "
                + num(band.startSeconds()) + "s to " + num(band.endSeconds()) + "s")).append("</title>")
            .append("<rect x=\"").append(num(x0)).append("\" y=\"").append(rowY).append("\" width=\"").append(num(w))
            .append("\" height=\"").append(ROW - 4).append("\" rx=\"3\"/>");
        if (w > 7.2 * band.label().length() + 6) {
          svg.append(text(x0 + 4, rowY + 15, band.label(), "band-label"));
        }
        svg.append("</g>\n");
      }
      y += 2 * ROW + 12;
    }
    axis(svg, height - 16);
    markers(svg, 16, height - 20, false);
    return svg.append("</svg>\n").toString();
  }

  String rate() {
    int height = 200;
    int top = 16;
    int bottom = height - 30;
    List<SecondFigures> seconds = result.traffic().seconds();
    double max = Svg.niceMax(seconds.stream().mapToLong(SecondFigures::requests).max().orElse(1));
    StringBuilder svg = open("rate", height, "Requests per second, failed in red");
    grid(svg, top, bottom, max, "req/s");
    for (SecondFigures s : seconds) {
      double x0 = x(s.second());
      double w = Math.max(1, x(s.second() + 1) - x0 - 1);
      double h = (bottom - top) * s.requests() / max;
      double f = (bottom - top) * s.failed() / max;
      svg.append("<rect class=\"requests\" x=\"").append(num(x0)).append("\" y=\"").append(num(bottom - h))
          .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h)).append("\"><title>")
          .append(s.second()).append("s: ").append(s.requests()).append(" requests, ").append(s.failed())
          .append(" failed</title></rect>");
      if (s.failed() > 0) {
        svg.append("<rect class=\"failed\" x=\"").append(num(x0)).append("\" y=\"").append(num(bottom - f))
            .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(f)).append("\"/>");
      }
    }
    axis(svg, height - 12);
    markers(svg, top, bottom, false);
    return svg.append("</svg>\n").toString();
  }

  String latency() {
    int height = 260;
    int top = 16;
    int bottom = height - 30;
    List<SecondFigures> seconds = result.traffic().seconds();
    double max = Svg.niceMax(seconds.stream().mapToDouble(SecondFigures::p99Ms).max().orElse(1));
    StringBuilder svg = open("latency", height, "Latency from when each request was due: p50 and p99, ms");
    grid(svg, top, bottom, max, "ms");
    svg.append(line(seconds, true, top, bottom, max)).append(line(seconds, false, top, bottom, max));
    svg.append("<g class=\"legend\">").append("<rect class=\"p50\" x=\"").append(WIDTH - 170).append("\" y=\"")
        .append(top).append("\" width=\"14\" height=\"4\"/>").append(text(WIDTH - 150, top + 6, "p50", "legend-text"))
        .append("<rect class=\"p99\" x=\"").append(WIDTH - 110).append("\" y=\"").append(top)
        .append("\" width=\"14\" height=\"4\"/>").append(text(WIDTH - 90, top + 6, "p99", "legend-text")).append("</g>");
    axis(svg, height - 12);
    markers(svg, top, bottom, true);
    return svg.append("</svg>\n").toString();
  }

  private String line(List<SecondFigures> seconds, boolean p50, int top, int bottom, double max) {
    StringBuilder points = new StringBuilder();
    for (SecondFigures s : seconds) {
      double value = p50 ? s.p50Ms() : s.p99Ms();
      points.append(num(x(s.second() + 0.5))).append(',').append(num(bottom - (bottom - top) * value / max)).append(' ');
    }
    return "<polyline class=\"line " + (p50 ? "p50" : "p99") + "\" points=\"" + points.toString().trim() + "\"/>\n";
  }

  private void grid(StringBuilder svg, int top, int bottom, double max, String unit) {
    for (int i = 0; i <= 4; i++) {
      double value = max * i / 4;
      double y = bottom - (bottom - top) * i / 4.0;
      svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
          .append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>");
      svg.append(text(LEFT - 8, y + 4, (value == Math.rint(value) ? String.valueOf((long) value) : num(value))
          + (i == 4 ? " " + unit : ""), "value-label"));
    }
  }

  private void axis(StringBuilder svg, int y) {
    double step = Svg.tickStep(span);
    for (double t = Math.ceil(from / step) * step; t <= from + span + 0.001; t += step) {
      svg.append(text(x(t), y, (long) t + "s", "tick"));
    }
  }

  private void markers(StringBuilder svg, int top, int bottom, boolean labelled) {
    int lane = 0;
    for (Marker marker : markers()) {
      double mx = x(marker.seconds());
      svg.append("<g class=\"marker ").append(marker.kind()).append("\"><title>").append(esc(marker.label()))
          .append(" at ").append(num(marker.seconds())).append("s</title><line x1=\"").append(num(mx))
          .append("\" x2=\"").append(num(mx)).append("\" y1=\"").append(top).append("\" y2=\"").append(bottom)
          .append("\"/>");
      if (labelled) {
        svg.append("<text class=\"marker-label\" x=\"").append(num(mx + 3)).append("\" y=\"")
            .append(top + 12 + 12 * (lane++ % 6)).append("\">").append(esc(marker.label())).append("</text>");
      }
      svg.append("</g>");
    }
  }

  private static StringBuilder open(String id, int height, String title) {
    return new StringBuilder("<svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(height).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n");
  }

  private static String text(double x, double y, String text, String cls) {
    return "<text class=\"" + cls + "\" x=\"" + num(x) + "\" y=\"" + num(y) + "\">" + esc(text) + "</text>";
  }
}
