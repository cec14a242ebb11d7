package dev.lockstep.runner.backfill;

import dev.lockstep.runner.RunnerFailure;
import java.time.Duration;

/**
 * What to backfill, checked before anything touches the database.
 *
 * @param checkpoint the id progress is kept under, e.g. {@code <namespace>/<migration uid>/<step>}
 */
public record BackfillRequest(
    String table, String set, String where, int batchSize, Duration pause, String checkpoint) {

  public BackfillRequest {
    if (table == null || table.isBlank()) {
      throw RunnerFailure.badInput("--table is required; give the table to change, e.g. orders or sales.orders");
    }
    SqlFragment.require(set, "--set", "\"currency = 'EUR'\"");
    SqlFragment.require(where, "--where", "\"currency IS NULL\"");
    if (batchSize < 1) {
      throw RunnerFailure.badInput("--batch-size is " + batchSize + "; give a number of rows of at least 1");
    }
    if (checkpoint == null || checkpoint.isBlank()) {
      throw RunnerFailure.badInput(
          "--checkpoint is required; give an id that names this backfill, e.g. <namespace>/<migration uid>/<step>");
    }
  }
}
