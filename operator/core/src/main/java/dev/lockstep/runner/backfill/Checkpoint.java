package dev.lockstep.runner.backfill;

import java.util.List;

/**
 * How far a backfill has got, as committed with its last batch.
 *
 * @param lastKey the key of the last row changed (text of each column), null before the first batch
 * @param estimatedRows rows done plus the planner's estimate of the rows still to change, at the
 *     start of the latest run; null if unknown
 */
record Checkpoint(
    String id,
    List<String> lastKey,
    long rows,
    long batches,
    long longestBatchMillis,
    Long estimatedRows,
    boolean finished) {}
