package dev.lockstep.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.SchemaMigration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/**
 * A write conflict is optimistic locking at work: JOSDK retries it with backoff, and after its last
 * retry the migration is looked at again soon rather than left until an event that may never come
 * (a queued migration whose database's lease was already given back).
 */
class WriteConflictsTest {

  private final SchemaMigrationReconciler reconciler =
      new SchemaMigrationReconciler(null, null, null, null, null, null, null, Clock.systemUTC(), null);
  private final KubernetesClientException conflict = new KubernetesClientException("conflict", 409, null);

  @Test
  void aConflictWithRetriesLeftIsRetriedByJosdk() {
    ErrorStatusUpdateControl<SchemaMigration> control =
        reconciler.updateErrorStatus(Migrations.migration(), attempt(2, false), conflict);

    assertThat(control.isDefaultErrorProcessing()).isTrue();
  }

  @Test
  void aConflictOnTheLastRetryIsLookedAtAgainSoon() {
    ErrorStatusUpdateControl<SchemaMigration> control =
        reconciler.updateErrorStatus(Migrations.migration(), attempt(5, true), conflict);

    assertThat(control.isDefaultErrorProcessing()).isFalse();
    assertThat(control.isNoRetry()).isTrue();
    assertThat(control.getResource()).as("no status written").isEmpty();
    assertThat(control.getScheduleDelay()).contains(SchemaMigrationReconciler.AFTER_CONFLICTS.toMillis());
  }

  @Test
  void aConflictOfTheStatusWriteIsOneThoughJosdkWrapsIt() {
    // PrimaryUpdateAndCacheUtils throws this when the status write answered 409 and it may not retry.
    Exception wrapped = new OperatorException("Exceeded maximum (0) retry attempts to patch resource", conflict);

    ErrorStatusUpdateControl<SchemaMigration> control =
        reconciler.updateErrorStatus(Migrations.migration(), attempt(5, true), wrapped);

    assertThat(control.getResource()).as("no error written into status").isEmpty();
    assertThat(control.getScheduleDelay()).contains(SchemaMigrationReconciler.AFTER_CONFLICTS.toMillis());
    assertThat(SchemaMigrationReconciler.conflict(new OperatorException("other", new IllegalStateException())))
        .isFalse();
  }

  /** Only the retry information: nothing else is asked of the context on a conflict. */
  private static Context<SchemaMigration> attempt(int count, boolean last) {
    RetryInfo retry = new RetryInfo() {
      @Override
      public int getAttemptCount() {
        return count;
      }

      @Override
      public boolean isLastAttempt() {
        return last;
      }
    };
    return new Context<>() {
      @Override
      public Optional<RetryInfo> getRetryInfo() {
        return Optional.of(retry);
      }

      @Override
      public <R> Set<R> getSecondaryResources(Class<R> type) {
        throw new UnsupportedOperationException();
      }

      @Override
      public <R> Optional<R> getSecondaryResource(Class<R> type, String name) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ControllerConfiguration<SchemaMigration> getControllerConfiguration() {
        throw new UnsupportedOperationException();
      }

      @Override
      public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
        throw new UnsupportedOperationException();
      }

      @Override
      public EventSourceRetriever<SchemaMigration> eventSourceRetriever() {
        throw new UnsupportedOperationException();
      }

      @Override
      public KubernetesClient getClient() {
        throw new UnsupportedOperationException();
      }

      @Override
      public ExecutorService getWorkflowExecutorService() {
        throw new UnsupportedOperationException();
      }

      @Override
      public SchemaMigration getPrimaryResource() {
        throw new UnsupportedOperationException();
      }

      @Override
      public IndexedResourceCache<SchemaMigration> getPrimaryCache() {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean isNextReconciliationImminent() {
        return false;
      }

      @Override
      public boolean isPrimaryResourceDeleted() {
        return false;
      }

      @Override
      public boolean isPrimaryResourceFinalStateUnknown() {
        return false;
      }
    };
  }
}
