package dev.lockstep.flags;

import dev.lockstep.api.FlagSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.function.Supplier;

/** Opens the {@link FlagStore} a migration's {@code spec.flagSource} names, and what stores share. */
public final class FlagStores {

  /**
   * The field manager of every write. Argo CD's {@code ignoreDifferences.managedFieldsManagers} names it
   * so that self-heal does not revert a flag lockstep flipped.
   */
  public static final String FIELD_MANAGER = "lockstep";

  /** Attempts of a read-modify-write before a conflicting writer is left to the next reconcile. */
  static final int MAX_ATTEMPTS = 5;

  private FlagStores() {}

  /**
   * The store of {@code source}, in the migration's namespace.
   *
   * @throws FlagException when {@code source} is missing or names no source, or both
   */
  public static FlagStore forSource(KubernetesClient client, String namespace, FlagSource source) {
    if (source == null) {
      throw new FlagException("spec.flagSource is not set; flags steps need it: set featureFlag or configMap");
    }
    boolean featureFlag = source.getFeatureFlag() != null;
    boolean configMap = source.getConfigMap() != null;
    if (featureFlag == configMap) {
      throw new FlagException("spec.flagSource: set exactly one of featureFlag and configMap");
    }
    if (featureFlag) {
      String name = required(source.getFeatureFlag().getName(), "spec.flagSource.featureFlag.name");
      return new FeatureFlagStore(client, namespace, name);
    }
    String name = required(source.getConfigMap().getName(), "spec.flagSource.configMap.name");
    String key = source.getConfigMap().getKey();
    return new ConfigMapFlagStore(client, namespace, name, key == null || key.isBlank() ? "flags.flagd.json" : key);
  }

  static PatchContext patch(PatchType type) {
    return new PatchContext.Builder().withPatchType(type).withFieldManager(FIELD_MANAGER).build();
  }

  /**
   * Runs a read-modify-write again while the API server answers 409 Conflict: someone wrote between
   * our read and our write, so read again rather than overwrite what they wrote.
   */
  static <T> T retryingConflicts(Supplier<T> readModifyWrite) {
    for (int attempt = 1; ; attempt++) {
      try {
        return readModifyWrite.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new FlagException(field + " is empty: name the resource that holds the flags");
    }
    return value;
  }
}
