package dev.lockstep.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.dependent.RecentOperationCacheFiller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The binding between the operator's readers and JOSDK's informer event sources. */
class InformerCacheTest {

  private static ConfigMap object(String namespace, String name, String version) {
    return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .withResourceVersion(version).endMetadata().build();
  }

  @Test
  void aReadBeforeTheInformerIsRegisteredIsAProgrammingErrorThatSaysSo() {
    InformerCache<ConfigMap> cache = new InformerCache<>("ConfigMap");

    assertThatThrownBy(() -> cache.get("shop", "a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the ConfigMap cache is read before its informer was registered");
  }

  @Test
  void readsAndWritesGoToTheBoundEventSource() {
    FakeEventSource source = new FakeEventSource();
    source.objects.put(new ResourceID("a", "shop"), object("shop", "a", "1"));
    source.objects.put(new ResourceID("b", "other"), object("other", "b", "1"));
    InformerCache<ConfigMap> cache = new InformerCache<>("ConfigMap");
    cache.bind(source);

    assertThat(cache.get("shop", "a")).isPresent();
    assertThat(cache.get("shop", "b")).isEmpty();
    assertThat(cache.list("shop", c -> true)).extracting(c -> c.getMetadata().getName()).containsExactly("a");

    ConfigMap created = object("shop", "c", "2");
    cache.created(created);
    ConfigMap updated = object("shop", "a", "3");
    cache.updated(updated, object("shop", "a", "1"));
    assertThat(source.recent).containsExactly("create shop/c@2", "update shop/a@3 after 1");
  }

  @Test
  void aReadOnlyCacheRefusesWrites() {
    InformerCache<ConfigMap> cache = new InformerCache<>("SchemaMigration");
    cache.bindReadOnly(new FakeEventSource());

    assertThat(cache.list("shop", c -> true)).isEmpty();
    assertThatThrownBy(() -> cache.created(object("shop", "a", "1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("read-only");
  }

  /** What JOSDK's informer event source offers the cache: a store and a recent-write filler. */
  private static final class FakeEventSource implements ResourceCache<ConfigMap>, RecentOperationCacheFiller<ConfigMap> {
    final Map<ResourceID, ConfigMap> objects = new LinkedHashMap<>();
    final List<String> recent = new ArrayList<>();

    @Override
    public Optional<ConfigMap> get(ResourceID id) {
      return Optional.ofNullable(objects.get(id));
    }

    @Override
    public Stream<ResourceID> keys() {
      return objects.keySet().stream();
    }

    @Override
    public Stream<ConfigMap> list(Predicate<ConfigMap> predicate) {
      return objects.values().stream().filter(predicate);
    }

    @Override
    public Stream<ConfigMap> list(String namespace, Predicate<ConfigMap> predicate) {
      return list(predicate).filter(c -> namespace.equals(c.getMetadata().getNamespace()));
    }

    @Override
    public void handleRecentResourceCreate(ResourceID id, ConfigMap resource) {
      recent.add("create " + id.getNamespace().orElseThrow() + "/" + id.getName() + "@"
          + resource.getMetadata().getResourceVersion());
    }

    @Override
    public void handleRecentResourceUpdate(ResourceID id, ConfigMap resource, ConfigMap previous) {
      recent.add("update " + id.getNamespace().orElseThrow() + "/" + id.getName() + "@"
          + resource.getMetadata().getResourceVersion() + " after " + previous.getMetadata().getResourceVersion());
    }
  }
}
