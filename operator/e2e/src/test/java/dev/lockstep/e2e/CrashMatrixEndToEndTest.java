package dev.lockstep.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.world.ApiRequestLog;
import dev.lockstep.world.OperatorKills;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hard-kill crash matrix: the operator is killed — no request of it reaches the API server after
 * the kill point — at every point where the world changed and status does not say so yet, and at
 * every step boundary. A new operator (new process, empty caches) takes over, reaches the same end,
 * and the request log shows that no Job was created twice, none ran twice, and the flag was written
 * exactly as often as the walk changes it.
 */
class CrashMatrixEndToEndTest extends ClusterTest {

  private static final Duration REACH = Duration.ofSeconds(90);

  /** One row of the matrix: where the operator dies, on which walk. */
  record KillPoint(String name, Walk walk, Predicate<OperatorKills.Call> after) {
    @Override
    public String toString() {
      return name + " (" + walk + ")";
    }
  }

  static Stream<Arguments> killPoints() {
    return Stream.of(
        // forward: the world changed, status does not know yet
        new KillPoint("after taking the database lease", Walk.FORWARD, created("leases")),
        new KillPoint("after creating the expand Job", Walk.FORWARD, createdNamed("jobs", "orders-currency-expand-1")),
        new KillPoint("after saving the flag's definition", Walk.FORWARD,
            status(m -> m != null && m.getStatus() != null && m.getStatus().getFlags() != null && m.getStatus().getFlags().containsKey("orders-dual-write"))),
        new KillPoint("after writing the flag", Walk.FORWARD, nth(1, flagWrite())),
        new KillPoint("after creating the fill Job", Walk.FORWARD, createdNamed("jobs", "orders-currency-fill-1")),
        new KillPoint("after giving the lease back", Walk.FORWARD, deleted("leases")),
        // forward: step boundaries
        new KillPoint("after recording expand Succeeded", Walk.FORWARD, step("expand", StepState.Succeeded)),
        new KillPoint("after recording dual-write Succeeded", Walk.FORWARD, step("dual-write", StepState.Succeeded)),
        new KillPoint("after recording soak Succeeded", Walk.FORWARD, step("soak", StepState.Succeeded)),
        new KillPoint("after recording the migration Succeeded", Walk.FORWARD,
            status(m -> m != null && m.getStatus() != null && m.getStatus().getPhase() == Phase.Succeeded)),
        // rollback
        new KillPoint("after recording fill Failed", Walk.ROLLBACK, step("fill", StepState.Failed)),
        new KillPoint("after restoring the flag", Walk.ROLLBACK, nth(2, flagWrite())),
        new KillPoint("after creating the undo Job", Walk.ROLLBACK,
            createdNamed("jobs", "orders-currency-expand-undo-1")),
        new KillPoint("after recording soak RolledBack", Walk.ROLLBACK, step("soak", StepState.RolledBack)),
        new KillPoint("after recording the migration RolledBack", Walk.ROLLBACK,
            status(m -> m != null && m.getStatus() != null && m.getStatus().getPhase() == Phase.RolledBack)))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("killPoints")
  void aKilledOperatorsSuccessorReachesTheSameEndAndNothingRunsTwice(KillPoint point) throws Exception {
    point.walk().prepare(world);
    ApiRequestLog log = world.cluster.world().requestLog();
    log.start();
    OperatorKills.Kill kill = world.cluster.killOperatorAfter(point.name(), point.after());

    world.apply(Walk.resource());
    OperatorKills.Call at = kill.await(REACH);
    world.cluster.restartKilledOperator();

    SchemaMigration done = world.awaitPhase(Walk.NAME, point.walk().end);
    log.stop();
    assertThat(at.succeeded()).as("the kill point was carried out before the kill").isTrue();
    assertThat(log.count(r -> r.userAgent() != null && r.userAgent().endsWith("/2"))).as("the new operator worked")
        .isPositive();
    point.walk().verify(world, done, log);
  }

  private static Predicate<OperatorKills.Call> created(String resource) {
    return c -> "POST".equals(c.method()) && c.resourcePath().endsWith("/" + resource) && c.succeeded();
  }

  private static Predicate<OperatorKills.Call> createdNamed(String resource, String name) {
    return created(resource).and(c -> !c.body().isBlank() && name.equals(
        Serialization.unmarshal(c.body(), GenericKubernetesResource.class).getMetadata().getName()));
  }

  private static Predicate<OperatorKills.Call> deleted(String resource) {
    return c -> "DELETE".equals(c.method()) && c.resourcePath().contains("/" + resource + "/") && c.succeeded();
  }

  private static Predicate<OperatorKills.Call> flagWrite() {
    return c -> ("PATCH".equals(c.method()) || "PUT".equals(c.method()))
        && c.resourcePath().endsWith("/configmaps/" + Walk.FLAGS_CONFIGMAP) && c.succeeded();
  }

  /** The status write that records {@code condition} of the migration. */
  private static Predicate<OperatorKills.Call> status(Predicate<SchemaMigration> condition) {
    return c -> ("PUT".equals(c.method()) || "PATCH".equals(c.method()))
        && c.resourcePath().endsWith("/schemamigrations/" + Walk.NAME + "/status") && c.succeeded()
        && !c.body().isBlank() && condition.test(Serialization.unmarshal(c.body(), SchemaMigration.class));
  }

  private static Predicate<OperatorKills.Call> step(String name, StepState state) {
    return status(m -> m != null && m.getStatus() != null && m.getStatus().getSteps() != null && m.getStatus().getSteps().stream()
        .anyMatch(s -> s.getName().equals(name) && s.getState() == state));
  }

  /** The {@code n}-th call that matches. */
  private static Predicate<OperatorKills.Call> nth(int n, Predicate<OperatorKills.Call> which) {
    AtomicInteger seen = new AtomicInteger();
    return c -> which.test(c) && seen.incrementAndGet() == n;
  }
}
