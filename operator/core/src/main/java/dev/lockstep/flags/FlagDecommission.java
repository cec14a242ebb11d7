package dev.lockstep.flags;

import dev.lockstep.api.FlagStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * When a migration succeeds: which of the flags it changed now serve one variant to all traffic, so
 * the application team can delete them from code. Pure, apart from marking the statuses.
 */
public final class FlagDecommission {

  private FlagDecommission() {}

  /**
   * Marks {@code removableFromCode} on each recorded flag that sits at 100% on the variant this migration
   * left it at — no targeting rule, enabled — and returns their keys, sorted. Other flags are unmarked.
   */
  public static List<String> markRemovable(Map<String, FlagStatus> recorded, FlagSet current) {
    if (recorded == null) {
      return List.of();
    }
    recorded.forEach((key, status) -> status.setRemovableFromCode(
        isSettled(status, current.flag(key)) ? Boolean.TRUE : null));
    return recorded.entrySet().stream()
        .filter(entry -> Boolean.TRUE.equals(entry.getValue().getRemovableFromCode()))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** The text of the Event that lists them, or empty when there are none. */
  public static Optional<String> eventMessage(List<String> removable, Map<String, FlagStatus> recorded) {
    if (removable.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("Flags now serve one variant to all traffic and can be removed from code: "
        + removable.stream()
            .map(key -> key + " (" + recorded.get(key).getVariant() + ")")
            .collect(Collectors.joining(", ")));
  }

  private static boolean isSettled(FlagStatus status, Optional<FlagDefinition> definition) {
    boolean fullFlip = status.getVariant() != null
        && (status.getPercent() == null || status.getPercent() == 100);
    return fullFlip && definition
        .filter(flag -> !flag.isDisabled() && flag.targeting().isEmpty())
        .filter(flag -> status.getVariant().equals(flag.defaultVariant()))
        .isPresent();
  }
}
