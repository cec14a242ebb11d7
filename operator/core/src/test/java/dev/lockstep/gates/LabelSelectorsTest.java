package dev.lockstep.gates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

  private static final LabelSelector SELECTOR = new LabelSelectorBuilder()
      .addToMatchLabels("app", "orders")
      .addNewMatchExpression().withKey("track").withOperator("In").withValues("stable", "canary").endMatchExpression()
      .addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("batch").endMatchExpression()
      .addNewMatchExpression().withKey("zone").withOperator("Exists").endMatchExpression()
      .addNewMatchExpression().withKey("legacy").withOperator("DoesNotExist").endMatchExpression()
      .build();

  @Test
  void everyLabelAndEveryExpressionMustHold() {
    assertThat(LabelSelectors.matches(SELECTOR, Map.of("app", "orders", "track", "canary", "zone", "a"))).isTrue();
    assertThat(LabelSelectors.matches(SELECTOR, Map.of("app", "billing", "track", "canary", "zone", "a"))).isFalse();
    assertThat(LabelSelectors.matches(SELECTOR, Map.of("app", "orders", "track", "dev", "zone", "a"))).isFalse();
    assertThat(LabelSelectors.matches(SELECTOR, Map.of("app", "orders", "track", "stable", "zone", "a", "tier", "batch")))
        .isFalse();
    assertThat(LabelSelectors.matches(SELECTOR, Map.of("app", "orders", "track", "stable"))).isFalse();
    assertThat(LabelSelectors.matches(SELECTOR, Map.of("app", "orders", "track", "stable", "zone", "a", "legacy", "y")))
        .isFalse();
  }

  @Test
  void anUnknownOperatorSelectsNothing() {
    LabelSelector odd = new LabelSelectorBuilder()
        .addNewMatchExpression().withKey("app").withOperator("Gt").withValues("1").endMatchExpression().build();

    assertThat(LabelSelectors.matches(odd, Map.of("app", "2"))).isFalse();
  }

  @Test
  void aSelectorWithNeitherLabelsNorExpressionsIsEmpty() {
    assertThat(LabelSelectors.empty(new LabelSelector())).isTrue();
    assertThat(LabelSelectors.empty(null)).isTrue();
    assertThat(LabelSelectors.empty(SELECTOR)).isFalse();
  }
}
