package dev.lockstep.runner.backfill;

import java.util.List;

/**
 * Where the next batch's key range begins: after the checkpoint's last key, or — for the first
 * batch — at the table's first key, included.
 *
 * @param key the text of each key column
 * @param inclusive whether the range includes {@code key} itself
 */
record BatchStart(List<String> key, boolean inclusive) {

  static BatchStart after(List<String> lastKey) {
    return new BatchStart(List.copyOf(lastKey), false);
  }

  static BatchStart at(List<String> firstKey) {
    return new BatchStart(List.copyOf(firstKey), true);
  }
}
