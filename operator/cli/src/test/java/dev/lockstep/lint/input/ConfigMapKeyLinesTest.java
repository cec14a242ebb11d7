package dev.lockstep.lint.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.lint.input.LintInputs.ConfigMapFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a ConfigMap's scripts are in its YAML file. */
class ConfigMapKeyLinesTest {

  private static final String YAML = """
      apiVersion: v1
      kind: Secret
      data:
        V1__a.sql: not this one
      ---
      # the scripts
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: m
      data:
        V1__a.sql: |
          CREATE TABLE a (id int);
          -- V2__b.sql: a comment that looks like a key
          ALTER TABLE a ADD COLUMN b int;
        "V2__b.sql": SELECT 1
        'V3__c.sql': >
          SELECT
          2
      """;

  @Test
  void literalBlocksMapEachLineOthersTheirKeyLine() {
    List<String> lines = List.of(YAML.split("\n", -1));

    ConfigMapFile file = ConfigMapKeyLines.find(Path.of("m.yaml"), lines, 7, List.of("V1__a.sql", "V2__b.sql", "V3__c.sql"));

    assertThat(file.fileLine("V1__a.sql", 1)).isEqualTo(13);
    assertThat(file.fileLine("V1__a.sql", 3)).isEqualTo(15);
    assertThat(file.fileLine("V2__b.sql", 1)).isEqualTo(16);
    assertThat(file.fileLine("V3__c.sql", 2)).as("a folded block: the key's line").isEqualTo(17);
    assertThat(file.fileLine("V9__missing.sql", 4)).isEqualTo(1);
  }
}
