package dev.lockstep.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code dependsOn} edges of the migrations of one namespace. */
public final class DependencyGraph {

  private final Map<String, List<String>> dependsOn;

  /** @param dependsOn each migration's {@code spec.dependsOn}, by migration name */
  public DependencyGraph(Map<String, List<String>> dependsOn) {
    this.dependsOn = dependsOn;
  }

  /**
   * A cycle through {@code start} (as {@code [a, b, a]}), or an empty list. A cycle elsewhere in
   * the graph that {@code start} merely leads into is that cycle's members' problem, not this one's.
   */
  public List<String> cycleThrough(String start) {
    List<String> path = new ArrayList<>();
    path.add(start);
    return search(start, start, path, 0) ? path : List.of();
  }

  private boolean search(String start, String at, List<String> path, int depth) {
    if (depth > dependsOn.size()) {
      return false;
    }
    for (String next : dependsOn.getOrDefault(at, List.of())) {
      if (next.equals(start)) {
        path.add(next);
        return true;
      }
      if (path.contains(next)) {
        continue;
      }
      path.add(next);
      if (search(start, next, path, depth + 1)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }
}
