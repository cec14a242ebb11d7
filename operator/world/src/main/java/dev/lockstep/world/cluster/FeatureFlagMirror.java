package dev.lockstep.world.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the flagd sidecar does with the FeatureFlags it serves, up to the point where it would answer
 * gRPC: it watches them and keeps their {@code spec.flagSpec} as one flagd JSON document, here written
 * to a file. With several FeatureFlags, flags of a later one replace flags of the same key in earlier
 * ones, as flagd merges its sources.
 */
final class FeatureFlagMirror implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FeatureFlagMirror.class);

  /** A FeatureFlag by namespace and name. */
  record FeatureFlagName(String namespace, String name) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  private final List<FeatureFlagName> sources;
  private final Path file;
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
  private String written;
  private long lastModifiedMillis;

  private FeatureFlagMirror(List<FeatureFlagName> sources, Path file) {
    this.sources = sources;
    this.file = file;
  }

  /**
   * Writes the document of {@code sources} to {@code file} and keeps it up to date.
   *
   * @throws IllegalStateException when one of them does not exist: the OpenFeature Operator refuses to
   *     inject a sidecar for a FeatureFlag it cannot find
   */
  static FeatureFlagMirror start(KubernetesClient client, List<FeatureFlagName> sources, Path file) {
    FeatureFlagMirror mirror = new FeatureFlagMirror(List.copyOf(sources), file);
    try {
      Set<String> namespaces = new LinkedHashSet<>();
      sources.forEach(s -> namespaces.add(s.namespace()));
      for (String namespace : namespaces) {
        // Blocks until the first list is in the informer's store.
        mirror.informers.add(client.genericKubernetesResources(OpenFeatureResources.FEATURE_FLAG)
            .inNamespace(namespace).inform(mirror.onAnyChange()));
      }
      for (FeatureFlagName source : sources) {
        if (mirror.find(source) == null) {
          throw new IllegalStateException("could not retrieve featureflag " + source
              + ": the OpenFeature Operator injects no flagd sidecar for a FeatureFlag that does not exist");
        }
      }
      mirror.sync();
      return mirror;
    } catch (RuntimeException e) {
      mirror.close();
      throw e;
    }
  }

  Path file() {
    return file;
  }

  private ResourceEventHandler<GenericKubernetesResource> onAnyChange() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource flag) {
        sync();
      }

      @Override
      public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
        sync();
      }

      @Override
      public void onDelete(GenericKubernetesResource flag, boolean finalStateUnknown) {
        sync();
      }
    };
  }

  private GenericKubernetesResource find(FeatureFlagName source) {
    for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
      GenericKubernetesResource found = informer.getStore().getByKey(source.namespace() + "/" + source.name());
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** Writes the merged document if it changed. */
  private synchronized void sync() {
    ObjectNode flags = Serialization.jsonMapper().createObjectNode();
    ObjectNode evaluators = Serialization.jsonMapper().createObjectNode();
    for (FeatureFlagName source : sources) {
      GenericKubernetesResource flag = find(source);
      if (flag == null) {
        continue; // deleted: flagd drops the flags of a source that is gone
      }
      JsonNode flagSpec = Serialization.jsonMapper().valueToTree(flag.getAdditionalProperties().get("spec"))
          .path("flagSpec");
      if (flagSpec.get("flags") instanceof ObjectNode own) {
        flags.setAll(own);
      }
      if (flagSpec.get("$evaluators") instanceof ObjectNode own) {
        evaluators.setAll(own);
      }
    }
    ObjectNode document = Serialization.jsonMapper().createObjectNode();
    document.set("flags", flags);
    if (!evaluators.isEmpty()) {
      document.set("$evaluators", evaluators);
    }
    String json = Serialization.asJson(document);
    if (!json.equals(written)) {
      write(json);
      written = json;
    }
  }

  /**
   * Replaces the file in one move, so a reader never sees half a document. The flagd provider notices a
   * change by the file's modification time in milliseconds, so each version gets a time later than the
   * one before even when two writes fall in the same millisecond.
   */
  private void write(String json) {
    try {
      Path aside = Files.createTempFile(file.getParent(), ".flags", ".json");
      Files.writeString(aside, json);
      long modified = Math.max(System.currentTimeMillis(), lastModifiedMillis + 1);
      Files.setLastModifiedTime(aside, FileTime.fromMillis(modified));
      Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      lastModifiedMillis = modified;
    } catch (IOException e) {
      LOG.warn("cannot write the flags of {} to {}: {}", sources, file, e.toString());
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
