package dev.lockstep.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The operator image cannot be built here (no registry, no Docker engine), so its definition — the
 * jib-maven-plugin configuration in operator/core/pom.xml and the entrypoint script — is checked instead.
 */
class ImageDefinitionTest {

  private static final Path POM = Path.of("pom.xml");
  private static final Path ENTRYPOINT = Path.of("src/main/jib/usr/local/bin/lockstep");

  private static String jib(Document pom, String path) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(
        "/project/build/plugins/plugin[artifactId='jib-maven-plugin']/configuration/" + path, pom);
  }

  private static Document pom() throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
  }

  @Test
  void aJre17BaseAndANumericNonRootUser() throws Exception {
    Document pom = pom();

    assertThat(jib(pom, "from/image")).startsWith("eclipse-temurin:17-jre");
    String user = jib(pom, "container/user");
    assertThat(user).matches("[0-9]+:[0-9]+");
    assertThat(Long.parseLong(user.split(":")[0])).as("uid").isPositive();
    assertThat(user.split(":")[0]).as("the runner pods' runAsUser").isEqualTo("65532");
    assertThat(jib(pom, "to/image")).isEqualTo("ghcr.io/lockstep-dev/lockstep");
  }

  @Test
  void theEntrypointIsLockstep() throws Exception {
    Document pom = pom();
    NodeList args = (NodeList) XPathFactory.newInstance().newXPath().evaluate(
        "/project/build/plugins/plugin[artifactId='jib-maven-plugin']/configuration/container/entrypoint/arg",
        pom, XPathConstants.NODESET);

    assertThat(args.getLength()).isEqualTo(1);
    assertThat(args.item(0).getTextContent()).isEqualTo("/usr/local/bin/lockstep");
    assertThat(jib(pom, "container/mainClass")).isEqualTo("dev.lockstep.command.LockstepCommand");
    assertThat(jib(pom, "extraDirectories/permissions/permission[file='/usr/local/bin/lockstep']/mode")).isEqualTo("755");
    String script = Files.readString(ENTRYPOINT);
    assertThat(script).startsWith("#!/bin/sh\n")
        .contains("exec java ")
        .contains("-cp @/app/jib-classpath-file dev.lockstep.command.LockstepCommand \"$@\"")
        .as("a read-only root filesystem: no perf data files").contains("-XX:-UsePerfData");
    assertThat(Files.getPosixFilePermissions(ENTRYPOINT)).contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Class.forName("dev.lockstep.command.LockstepCommand")).isNotNull();
  }
}
