package dev.lockstep.gates;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes label selector semantics. The API server filters by {@code matchLabels}; the set-based
 * {@code matchExpressions} are checked here as well, so the answer is the same against any server,
 * including test servers that ignore them.
 */
public final class LabelSelectors {

  private LabelSelectors() {}

  /** Whether {@code labels} satisfy every {@code matchLabels} entry and every {@code matchExpressions} requirement. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (!wanted.getValue().equals(actual.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!satisfies(requirement, actual.get(requirement.getKey()))) {
          return false;
        }
      }
    }
    return true;
  }

  /** An empty selector would select every pod in the namespace; apps/v1 refuses it, and so do gates. */
  public static boolean empty(LabelSelector selector) {
    return selector == null
        || (isEmpty(selector.getMatchLabels()) && isEmpty(selector.getMatchExpressions()));
  }

  private static boolean satisfies(LabelSelectorRequirement requirement, String value) {
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    switch (requirement.getOperator()) {
      case "In":
        return value != null && values.contains(value);
      case "NotIn":
        return value == null || !values.contains(value);
      case "Exists":
        return value != null;
      case "DoesNotExist":
        return value == null;
      default:
        // An operator this code does not know selects nothing rather than everything.
        return false;
    }
  }

  private static boolean isEmpty(Map<?, ?> map) {
    return map == null || map.isEmpty();
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }
}
