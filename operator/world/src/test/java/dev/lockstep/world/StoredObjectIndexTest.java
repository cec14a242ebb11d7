package dev.lockstep.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredObjectIndexTest {

  private final StoredObjectIndex index = new StoredObjectIndex();

  @Test
  void aGetByNameLooksOnlyAtThatResourceAndNameAndStillMatchesTheRest() {
    index.stored(key("configmaps", "shop", "scripts"), "shop/scripts");
    index.stored(key("configmaps", "billing", "scripts"), "billing/scripts");
    index.stored(key("secrets", "shop", "scripts"), "secret");

    assertThat(values(query("configmaps", "billing", "scripts"))).containsExactly("billing/scripts");
    assertThat(values(query("configmaps", "shop", "missing"))).isEmpty();
  }

  @Test
  void aListOfOneResourceKeepsTheStoresOrderInWhichAReStoredKeyMovesToTheEnd() {
    AttributeSet first = key("pods", "shop", "a");
    index.stored(first, "a1");
    index.stored(key("pods", "shop", "b"), "b1");
    index.removed(first);
    index.stored(first, "a2");

    assertThat(values(query("pods", "shop", null))).containsExactly("b1", "a2");
  }

  @Test
  void aRemovedObjectIsNoLongerFoundAndARecreatedOneIs() {
    AttributeSet lease = key("leases", "shop", "db");
    index.stored(lease, "v1");
    index.removed(lease);
    assertThat(values(query("leases", "shop", "db"))).isEmpty();

    index.stored(lease, "v2");
    assertThat(values(query("leases", "shop", "db"))).containsExactly("v2");
  }

  @Test
  void aQueryItCannotNarrowIsLeftToTheScan() {
    index.stored(key("pods", "shop", "a"), "a");

    assertThat(index.matching(new AttributeSet(new Attribute("namespace", "shop")))).isEmpty();
    assertThat(index.matching(new AttributeSet(new Attribute("plural", "pods", AttributeType.WITHOUT)))).isEmpty();
    assertThat(index.matching(query("pods", "shop", "*"))).isEmpty();
  }

  @Test
  void aStoredWildcardNameSendsEveryQueryToTheScanUntilItIsRemoved() {
    AttributeSet wildcard = key("pods", "shop", "*");
    index.stored(wildcard, "any");
    assertThat(index.matching(query("pods", "shop", "a"))).isEmpty();

    index.removed(wildcard);
    assertThat(index.matching(query("pods", "shop", "a"))).isPresent();
  }

  private List<String> values(AttributeSet query) {
    return index.matching(query).orElseThrow().stream().map(Map.Entry::getValue).toList();
  }

  private static AttributeSet key(String plural, String namespace, String name) {
    return new AttributeSet(new Attribute("plural", plural), new Attribute("namespace", namespace),
        new Attribute("name", name), new Attribute("version", "v1"));
  }

  private static AttributeSet query(String plural, String namespace, String name) {
    AttributeSet query = new AttributeSet(new Attribute("plural", plural), new Attribute("namespace", namespace));
    return name == null ? query : query.add(new Attribute("name", name));
  }
}
