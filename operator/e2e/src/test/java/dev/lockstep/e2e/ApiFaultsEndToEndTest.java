package dev.lockstep.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.reconcile.ReconcileErrors;
import dev.lockstep.queue.KubernetesDatabaseLeases;
import dev.lockstep.world.ApiFaults;
import dev.lockstep.world.ApiRequestLog;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * API faults on every write the operator makes — status, Job creation, flag patches, lease updates —
 * and dropped watches: 409 conflicts, 500s beyond the client's own retries, and timeouts after the
 * write was stored (the client sees 504 and does not know it). Every walk still reaches the right end
 * with a correct status, no Job created twice and the flag written exactly as often as it changes.
 */
class ApiFaultsEndToEndTest extends ClusterTest {

  /** More 500s in a row than the fabric8 client retries (10), so the operator itself sees the error. */
  private static final int BEYOND_CLIENT_RETRIES = 14;

  private static final String STATUS = "PUT|/schemamigrations/" + Walk.NAME + "/status";
  private static final String JOBS = "POST|/namespaces/" + ClusterFixture.NAMESPACE + "/jobs$";
  // The operator's patches carry ?fieldManager=..., so the name ends at the query or the path's end.
  private static final String FLAGS = "PATCH|/configmaps/" + Walk.FLAGS_CONFIGMAP + "(\\?|$)";
  private static final String LEASE_CREATE = "POST|/namespaces/" + ClusterFixture.NAMESPACE + "/leases$";
  private static final String LEASE_UPDATE = "PUT|/leases/";

  /** One case: which walk, and what the API server does to the operator's requests. */
  record Fault(String name, Walk walk, Consumer<ApiFaults> inject, boolean dropWatches,
      Consumer<ClusterFixture> setUp) {
    Fault(String name, Walk walk, Consumer<ApiFaults> inject, boolean dropWatches) {
      this(name, walk, inject, dropWatches, world -> {});
    }

    @Override
    public String toString() {
      return name + " (" + walk + ")";
    }
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        new Fault("status writes: 409 Conflict", Walk.FORWARD, f -> error(f, 3, STATUS, 409), false),
        new Fault("status writes: 500 beyond the client's retries", Walk.FORWARD,
            f -> error(f, BEYOND_CLIENT_RETRIES, STATUS, 500), false),
        new Fault("status writes: timeout after the write", Walk.ROLLBACK, f -> timeout(f, 3, STATUS), false),
        new Fault("Job creation: 500 beyond the client's retries", Walk.FORWARD,
            f -> error(f, BEYOND_CLIENT_RETRIES, JOBS, 500), false),
        new Fault("Job creation: timeout after the Job was stored", Walk.ROLLBACK, f -> timeout(f, 3, JOBS), false),
        new Fault("flag patches: 409 Conflict", Walk.ROLLBACK, f -> error(f, 2, FLAGS, 409), false),
        new Fault("flag patches: 500 beyond the client's retries", Walk.FORWARD,
            f -> error(f, BEYOND_CLIENT_RETRIES, FLAGS, 500), false),
        new Fault("flag patches: timeout after the write", Walk.ROLLBACK, f -> timeout(f, 2, FLAGS), false),
        new Fault("lease creation: 500 beyond the client's retries", Walk.FORWARD,
            f -> error(f, BEYOND_CLIENT_RETRIES, LEASE_CREATE, 500), false),
        new Fault("lease creation: timeout after the lease was stored", Walk.FORWARD,
            f -> timeout(f, 1, LEASE_CREATE), false),
        // A walk is over long before a lease is due for renewal; taking over an expired lease is an update.
        new Fault("lease updates (taking over an expired lease): 409 Conflict and 500", Walk.FORWARD, f -> {
          error(f, 2, LEASE_UPDATE, 409);
          error(f, BEYOND_CLIENT_RETRIES, LEASE_UPDATE, 500);
        }, false, ApiFaultsEndToEndTest::expiredLeaseOfAGoneMigration),
        new Fault("watches dropped every 300 ms", Walk.FORWARD, f -> {}, true),
        new Fault("watches dropped, 500s and timeouts everywhere", Walk.ROLLBACK, f -> {
          timeout(f, 1, JOBS);
          timeout(f, 1, FLAGS);
          error(f, 5, STATUS, 500);
          error(f, 1, STATUS, 409);
          error(f, 5, LEASE_CREATE, 500);
        }, true))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void everyWalkReachesItsEndWithNothingDuplicatedOrLost(Fault fault) throws Exception {
    fault.walk().prepare(world);
    fault.setUp().accept(world);
    ApiRequestLog log = world.cluster.world().requestLog();
    ApiFaults faults = world.cluster.world().apiFaults();
    log.start();
    fault.inject().accept(faults);
    AtomicBoolean dropping = new AtomicBoolean(fault.dropWatches());
    Thread dropper = new Thread(() -> {
      while (dropping.get()) {
        faults.dropOperatorWatches("watch=");
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
      }
    }, "drop-watches");
    dropper.start();

    world.apply(Walk.resource());
    SchemaMigration done;
    try {
      done = world.awaitPhase(Walk.NAME, fault.walk().end);
    } finally {
      dropping.set(false);
      dropper.join();
    }
    log.stop();
    long injected = faults.injected(ApiFaults.Kind.ERROR) + faults.injected(ApiFaults.Kind.TIMEOUT_AFTER_WRITE)
        + faults.injected(ApiFaults.Kind.DROPPED_WATCH);
    assertThat(injected).as("faults were injected").isPositive();
    assertThat(faults.pending()).as("every fault was met by a request").isZero();
    assertThat(done.getStatus().getConditions()).as("no error left in status")
        .noneMatch(c -> dev.lockstep.reconcile.Reason.ReconcileError.name().equals(c.getReason()) && "True".equals(c.getStatus()));
    fault.walk().verify(world, done, log);
  }

  /** The lease of the walk's database, left by a migration that is gone and expired long ago. */
  private static void expiredLeaseOfAGoneMigration(ClusterFixture world) {
    ZonedDateTime longAgo = ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(10);
    String[] label = KubernetesDatabaseLeases.SELECTOR.split("=", 2);
    world.client.resource(new LeaseBuilder().withNewMetadata()
        .withName(KubernetesDatabaseLeases.leaseName(world.database)).withNamespace(ClusterFixture.NAMESPACE)
        .addToLabels(label[0], label[1]) // the operator watches only the leases it manages
        .addToAnnotations("lockstep.dev/holder", "gone-migration").endMetadata()
        .withNewSpec().withHolderIdentity("uid-of-a-gone-migration").withLeaseDurationSeconds(60)
        .withAcquireTime(longAgo).withRenewTime(longAgo).withLeaseTransitions(0)
        .endSpec().build()).create();
  }

  private static void error(ApiFaults faults, int count, String methodAndPath, int code) {
    String[] parts = methodAndPath.split("\\|", 2);
    faults.failNext(count, parts[0], parts[1], code);
  }

  private static void timeout(ApiFaults faults, int count, String methodAndPath) {
    String[] parts = methodAndPath.split("\\|", 2);
    faults.timeOutNext(count, parts[0], parts[1]);
  }
}
