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
 * @param within the checkpoint of another backfill of the table whose covered keys bound this one (an
 *     undo puts back only what its backfill went over, not rows the application wrote beyond it), or null
 */
public record BackfillRequest(
    String table, String set, String where, BatchSizing sizing, Duration pause, ThrottleSettings throttle,
    String checkpoint, String within) {

  /** A backfill of the whole table. */
  public BackfillRequest(String table, String set, String where, BatchSizing sizing, Duration pause,
      ThrottleSettings throttle, String checkpoint) {
    this(table, set, where, sizing, pause, throttle, checkpoint, null);
  }

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
    if (within != null && (within.isBlank() || within.equals(checkpoint))) {
      throw RunnerFailure.badInput("--within-checkpoint must name the checkpoint of another backfill (the one this"
          + " undoes), not be blank or this run's own --checkpoint");
    }
  }
}
