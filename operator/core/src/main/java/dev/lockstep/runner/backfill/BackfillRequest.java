package dev.lockstep.runner.backfill;

import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.backfill.throttle.ThrottleSettings;
import java.time.Duration;

/**
 * What to backfill, checked before anything touches the database.
 *
 * @param pause a wait after each batch, on top of the throttle (zero: none)
 * @param throttle what holds batches back while the application needs the database, or null
 * @param checkpoint the id progress is kept under, e.g. {@code <namespace>/<migration uid>/<step>}
 */
public record BackfillRequest(
    String table, String set, String where, BatchSizing sizing, Duration pause, ThrottleSettings throttle,
    String checkpoint) {

  public BackfillRequest {
    if (table == null || table.isBlank()) {
      throw RunnerFailure.badInput("--table is required; give the table to change, e.g. orders or sales.orders");
    }
    SqlFragment.require(set, "--set", "\"currency = 'EUR'\"");
    SqlFragment.require(where, "--where", "\"currency IS NULL\"");
    if (throttle != null && throttle.sql() != null) {
      SqlFragment.require(throttle.sql(), "--throttle-sql",
          "\"SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication\"");
    }
    if (checkpoint == null || checkpoint.isBlank()) {
      throw RunnerFailure.badInput(
          "--checkpoint is required; give an id that names this backfill, e.g. <namespace>/<migration uid>/<step>");
    }
  }
}
