package dev.lockstep.rehearse;

import dev.lockstep.world.cluster.Manifests;

import dev.lockstep.cli.steps.StepKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.cli.steps.StepKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --inject KIND@STEP} against the example's own migrations. */
class InjectionTest {

  private final List<SchemaMigration> migrations = Manifests.load(Path.of("..", "..", "examples", "orders")).migrations();

  @Test
  void findsTheStepAndItsMigration() {
    List<Injection> injections = Injection.parse(List.of("fail@contract", "undo-fail@fill", "unready@dual-write",
        "prometheus@orders-total-cents/expand"), migrations);

    assertThat(injections).extracting(Injection::toString)
        .containsExactly("fail@contract", "undo-fail@fill", "unready@dual-write", "prometheus@expand");
    assertThat(injections).extracting(Injection::migration).containsOnly("default/orders-total-cents");
    assertThat(injections.get(1).stepKind()).isEqualTo(StepKind.BACKFILL);
  }

  @Test
  void refusesWhatCannotHappenSayingWhy() {
    assertThatThrownBy(() -> Injection.parse(List.of("explode@contract"), migrations))
        .hasMessageContaining("unknown fault").hasMessageContaining("fail, unready, prometheus or undo-fail");
    assertThatThrownBy(() -> Injection.parse(List.of("fail@nowhere"), migrations))
        .hasMessageContaining("no migration has a step named nowhere");
    assertThatThrownBy(() -> Injection.parse(List.of("fail@dual-write"), migrations))
        .hasMessageContaining("step dual-write is a flags step, which runs no Job");
    assertThatThrownBy(() -> Injection.parse(List.of("undo-fail@expand"), migrations))
        .hasMessageContaining("an undo runs only in a rollback");
    assertThatThrownBy(() -> Injection.parse(List.of("unready@create"), migrations))
        .hasMessageContaining("lists no workloads");
    assertThatThrownBy(() -> Injection.parse(List.of("contract"), migrations)).hasMessageContaining("KIND@STEP");
  }
}
