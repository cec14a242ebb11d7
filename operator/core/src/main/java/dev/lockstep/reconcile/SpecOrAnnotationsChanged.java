package dev.lockstep.reconcile;

import dev.lockstep.api.SchemaMigration;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Reconciles on spec changes (a new generation) and on annotation changes (approve, pause, abort,
 * retry), but not on the status updates the operator itself writes.
 */
public final class SpecOrAnnotationsChanged implements OnUpdateFilter<SchemaMigration> {

  @Override
  public boolean accept(SchemaMigration updated, SchemaMigration old) {
    var now = updated.getMetadata();
    var before = old.getMetadata();
    return !Objects.equals(now.getGeneration(), before.getGeneration())
        || !Objects.equals(now.getAnnotations(), before.getAnnotations())
        || now.getDeletionTimestamp() != null;
  }
}
