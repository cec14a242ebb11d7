package dev.lockstep.scripts;

import dev.lockstep.api.SchemaMigration;

/**
 * Inspects scripts the operator cannot read itself, those in a scripts image: a short Job reads
 * them out of the image and reports their inventory and static risk.
 */
public interface ScriptsInspector {

  /** Starts the inspection of {@code migration}'s scripts image, or adopts the one already started. */
  void launch(SchemaMigration migration);

  /** Where the inspection of {@code migration}'s scripts image stands. */
  Inspection state(SchemaMigration migration);
}
