package dev.lockstep.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptContentsTest {

  @Test
  void textScriptsOfAReasonableSizeHaveNoProblem() {
    assertThat(ScriptContents.problems(Map.of("V2__add.sql", "ALTER TABLE t ADD COLUMN c int;"), Map.of())).isEmpty();
  }

  @Test
  void anEmptyScriptAndABinaryOneAreNamedWithWhatToDo() {
    String latin1 = Base64.getEncoder().encodeToString("SELECT 'Gr\u00fc\u00dfe';".getBytes(StandardCharsets.ISO_8859_1));

    assertThat(ScriptContents.problems(Map.of("V2__add.sql", " \n", "README.md", ""), Map.of("V3__x.sql", latin1)))
        .containsExactly(
            "V3__x.sql is not UTF-8 text (it is in binaryData); save it as UTF-8 and create the ConfigMap again",
            "V2__add.sql is empty; write the script's SQL, or remove the file");
  }

  @Test
  void scriptsOverOneMebibyteAreSentToAnImage() {
    String big = "-- x\n".repeat(ScriptContents.MAX_CONFIG_MAP_BYTES / 5 + 1);

    assertThat(ScriptContents.problems(Map.of("V2__big.sql", big), Map.of())).singleElement().asString()
        .startsWith("the scripts take 1048580 bytes").contains("1 MiB").contains("spec.scripts.image");
  }
}
