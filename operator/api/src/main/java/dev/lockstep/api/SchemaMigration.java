package dev.lockstep.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A schema change rolled out in ordered steps: expand, dual-write, backfill, switch reads, contract.
 *
 * <p>{@code @Plural} and {@code @Singular} are spelled out although fabric8 would derive them: it
 * derives them with regular expressions in the constructor of every instance, and {@code lockstep
 * bench control-plane} found that half of the operator's CPU time went there (each list of
 * SchemaMigrations builds one instance per item).
 */
@Group(SchemaMigration.GROUP)
@Version(SchemaMigration.VERSION)
@Plural("schemamigrations")
@Singular("schemamigration")
@ShortNames("smig")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Step", jsonPath = ".status.currentStep", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.schemaVersion", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SchemaMigration extends CustomResource<SchemaMigrationSpec, SchemaMigrationStatus>
    implements Namespaced {

  public static final String GROUP = "lockstep.dev";
  public static final String VERSION = "v1alpha1";

  @Override
  protected SchemaMigrationStatus initStatus() {
    return new SchemaMigrationStatus();
  }
}
