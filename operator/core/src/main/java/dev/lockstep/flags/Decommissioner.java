package dev.lockstep.flags;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * When a migration succeeds, marks in its status the flags that now serve one variant to all
 * traffic — the ones the application team can delete from code — and says so in an Event.
 */
public final class Decommissioner {

  private final KubernetesClient client;

  public Decommissioner(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Marks {@code removableFromCode} in {@code status.flags} from the flag source as it is now.
   *
   * @return the Event message, or empty when no flag can go
   */
  public Optional<String> markRemovable(SchemaMigration migration, SchemaMigrationStatus status) {
    if (status.getFlags() == null || status.getFlags().isEmpty() || migration.getSpec().getFlagSource() == null) {
      return Optional.empty();
    }
    FlagStore store = FlagStores.forSource(client, migration.getMetadata().getNamespace(),
        migration.getSpec().getFlagSource());
    List<String> removable = FlagDecommission.markRemovable(status.getFlags(), store.read());
    return FlagDecommission.eventMessage(removable, status.getFlags());
  }
}
