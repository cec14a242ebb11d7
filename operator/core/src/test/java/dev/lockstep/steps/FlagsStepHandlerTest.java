package dev.lockstep.steps;

import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagConfigMapRef;
import dev.lockstep.api.FlagSource;
import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.flags.FlagFlipper;
import dev.lockstep.flags.FlagSampler;
import dev.lockstep.flags.InMemoryFlagStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The flags step against an in-memory flag source: it saves every flag's definition before it writes
 * any, asks to be called again in between (never by claiming something is missing), and puts the
 * saved definitions back exactly on undo.
 */
class FlagsStepHandlerTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final String FLAG = "orders-currency-read-new";
  private static final String DOCUMENT = """
      {
        "flags": {
          "orders-currency-read-new": {
            "state": "ENABLED",
            "variants": { "on": true, "off": false },
            "defaultVariant": "off"
          },
          "checkout-theme": {
            "state": "ENABLED",
            "variants": {"light": "light", "dark": "dark"},
            "defaultVariant": "light"
          }
        }
      }
      """;

  private final InMemoryFlagStore store = new InMemoryFlagStore(DOCUMENT);
  private final List<String> opened = new ArrayList<>();
  private final FlagsStepHandler handler = new FlagsStepHandler((namespace, source) -> {
    opened.add(namespace + "/" + source.getConfigMap().getName());
    return store;
  }, new FlagFlipper(new FlagSampler(), Clock.fixed(T0.plusSeconds(1), ZoneOffset.UTC)));

  private final SchemaMigration m = flagsMigration();
  private final StepStatus status = running();

  private static SchemaMigration flagsMigration() {
    Step step = new Step();
    step.setName("read-new");
    FlagChange change = new FlagChange();
    change.setFlag(FLAG);
    change.setVariant("on");
    step.setFlags(List.of(change));
    SchemaMigration m = migration(step);
    FlagSource source = new FlagSource();
    FlagConfigMapRef configMap = new FlagConfigMapRef();
    configMap.setName("orders-flags");
    source.setConfigMap(configMap);
    m.getSpec().setFlagSource(source);
    m.setStatus(new SchemaMigrationStatus());
    return m;
  }

  private static StepStatus running() {
    StepStatus status = new StepStatus();
    status.setName("read-new");
    status.setState(StepState.Running);
    status.setAttempts(1);
    status.setStartedAt(T0.toString());
    return status;
  }

  private StepContext context() {
    return new StepContext(m, m.getSpec().getSteps().get(0), status, T0.plusSeconds(1));
  }

  /** What the reconciler does with a handler's effects: merge its flags into status. */
  private void remember(StepEffects effects) {
    assertThat(effects.failure()).isNull();
    Map<String, FlagStatus> flags = m.getStatus().getFlags() == null ? new TreeMap<>() : new TreeMap<>(m.getStatus().getFlags());
    flags.putAll(effects.flags());
    m.getStatus().setFlags(flags);
  }

  @Test
  void savesTheDefinitionFirstThenWritesThenSucceeds() {
    StepObservation before = handler.observe(context());
    assertThat(before.outcome()).isEqualTo(StepObservation.Outcome.ACT_AGAIN);
    assertThat(before.message()).isEqualTo("saving the previous definition of flag " + FLAG);

    remember(handler.start(context()));
    assertThat(store.writes()).as("the first call only saves").isZero();
    assertThat(m.getStatus().getFlags().get(FLAG).getPreviousDefinition()).contains("\"defaultVariant\": \"off\"");
    assertThat(opened).containsExactly("shop/orders-flags");

    StepObservation saved = handler.observe(context());
    assertThat(saved.outcome()).isEqualTo(StepObservation.Outcome.ACT_AGAIN);
    assertThat(saved.message()).isEqualTo("writing flag " + FLAG);

    remember(handler.start(context()));
    assertThat(store.writes()).isEqualTo(1);
    assertThat(store.text()).contains("\"defaultVariant\": \"on\"");

    StepObservation done = handler.observe(context());
    assertThat(done.outcome()).isEqualTo(StepObservation.Outcome.SUCCEEDED);
    assertThat(done.message()).contains("flag " + FLAG + " serves on to 100%");
  }

  @Test
  void startingAgainAfterTheWriteWritesNothingMore() {
    remember(handler.start(context()));
    remember(handler.start(context()));
    remember(handler.start(context()));

    assertThat(store.writes()).isEqualTo(1);
  }

  @Test
  void undoPutsTheSavedDefinitionBackExactly() {
    remember(handler.start(context()));
    remember(handler.start(context()));
    status.setState(StepState.RollingBack);

    StepObservation undoing = handler.observe(context());
    assertThat(undoing.outcome()).isEqualTo(StepObservation.Outcome.ACT_AGAIN);
    assertThat(undoing.message()).isEqualTo("restoring flag " + FLAG);

    remember(handler.undo(context()));
    assertThat(store.text()).isEqualTo(DOCUMENT);
    assertThat(handler.observe(context()).outcome()).isEqualTo(StepObservation.Outcome.SUCCEEDED);
    assertThat(handler.whyIrreversible(context())).isNull();
  }

  @Test
  void aSourceThatRefusesFailsTheStepNamingTheFlag() {
    store.refuse("ConfigMap orders-flags not found in namespace shop");

    StepEffects effects = handler.start(context());

    assertThat(effects.failure()).isEqualTo("flag " + FLAG + ": ConfigMap orders-flags not found in namespace shop");
  }

  @Test
  void aFailedAttemptIsPartlyAppliedOnlyOnceADefinitionWasSaved() {
    assertThat(handler.partlyApplied(m, status)).isFalse();
    remember(handler.start(context()));
    assertThat(handler.partlyApplied(m, status)).isTrue();
  }
}
