package dev.lockstep.runner;

import dev.lockstep.protocol.RunnerResult;

import java.util.StringJoiner;

/** The short human summary a runner prints last, e.g. {@code migrate ok: version 1 -> 3, ...}. */
final class Summary {

  private Summary() {}

  static String of(RunnerResult result) {
    StringJoiner parts = new StringJoiner("; ");
    if ("backfill".equals(result.getCommand())) {
      if (result.getRows() != null) {
        parts.add(result.getRows() + " rows in " + result.getBatches() + " batches"
            + (result.getBatchMillisP50() == null ? "" : " (this run: p50 " + result.getBatchMillisP50() + " ms, p99 "
                + result.getBatchMillisP99() + " ms)")
            + (result.getLongestBatchMillis() == null ? "" : " (longest " + result.getLongestBatchMillis() + " ms)"));
        if (result.getThrottledMillis() != null) {
          parts.add("throttled for " + result.getThrottledMillis() + " ms");
        }
      }
    } else if (result.getVersionBefore() != null || result.getVersionAfter() != null) {
      parts.add("version " + orNone(result.getVersionBefore()) + " -> " + orNone(result.getVersionAfter()));
    }
    if (!result.getScripts().isEmpty()) {
      StringJoiner scripts = new StringJoiner(", ", ("undo".equals(result.getCommand()) ? "undone " : "applied "), "");
      result.getScripts().forEach(s -> scripts.add(s.getScript() + " (" + s.getMillis() + " ms)"));
      parts.add(scripts.toString());
    }
    parts.add(result.getLockRetries() + " lock retries"
        + (result.getLockRetries() == 0 ? "" : " (" + result.getLockWaitMillis() + " ms lost)"));
    if (result.getReconnects() != null) {
      parts.add(result.getReconnects() + " reconnects after a lost connection");
    }
    parts.add(result.getMillis() + " ms");
    return result.getCommand() + (result.isOk() ? " ok: " : " failed: ") + parts;
  }

  private static String orNone(String version) {
    return version == null ? "none" : version;
  }
}
