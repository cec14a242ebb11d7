package dev.lockstep.reconcile;

import dev.lockstep.api.SchemaMigration;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Reconciles on spec changes (a new generation), on annotation changes (approve, pause, abort,
 * retry) and on finalizer changes (the framework adds the migration's finalizer and then waits for
 * that update to reconcile), but not on the status updates the operator itself writes.
 */
public final class SpecOrAnnotationsChanged implements OnUpdateFilter<SchemaMigration> {

  @Override
  public boolean accept(SchemaMigration updated, SchemaMigration old) {
    var now = updated.getMetadata();
    var before = old.getMetadata();
    return !Objects.equals(now.getGeneration(), before.getGeneration())
        || !Objects.equals(now.getAnnotations(), before.getAnnotations())
        || !Objects.equals(now.getFinalizers(), before.getFinalizers())
        || now.getDeletionTimestamp() != null;
  }
}
