package dev.lockstep.world.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a container sees paths, variables and image names. */
class ContainerViewTest {

  @TempDir
  Path host;

  @Test
  void volumeMountsHideImageFilesAndEverythingElseIsPrivate() throws Exception {
    Path volume = Files.createDirectories(host.resolve("volume"));
    Path image = Files.createDirectories(host.resolve("image"));
    Path root = Files.createDirectories(host.resolve("root"));
    ContainerFileSystem files = new ContainerFileSystem(root)
        .mount("/lockstep/scripts", volume)
        .mount("/dev/termination-log", host.resolve("termination"))
        .imageFiles("/migrations", image)
        .imageFiles("/lockstep", image);

    assertThat(files.apply("/lockstep/scripts/V1__a.sql")).isEqualTo(volume.resolve("V1__a.sql"));
    assertThat(files.apply("/lockstep/scripts/")).isEqualTo(volume);
    assertThat(files.apply("/lockstep/other")).isEqualTo(image.resolve("other"));
    assertThat(files.apply("/migrations/./sub/../V2.sql")).isEqualTo(image.resolve("V2.sql"));
    assertThat(files.apply("/dev/termination-log")).isEqualTo(host.resolve("termination"));
    assertThat(files.apply("/tmp/x")).isEqualTo(root.resolve("tmp/x"));
    assertThat(files.apply("relative")).isEqualTo(root.resolve("relative"));
  }

  @Test
  void cpCopiesADirectorysContentsOrTheDirectoryItself() throws Exception {
    Path image = Files.createDirectories(host.resolve("image/sub"));
    Files.writeString(host.resolve("image/V1__a.sql"), "a");
    Files.writeString(image.resolve("V2__b.sql"), "b");
    Path dest = Files.createDirectories(host.resolve("dest"));
    ContainerFileSystem files = new ContainerFileSystem(host.resolve("root"))
        .mount("/dest", dest).imageFiles("/migrations", host.resolve("image"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    assertThat(BuiltInCommands.run(List.of("cp", "-R", "/migrations/.", "/dest/"), files, new PrintStream(err)))
        .isZero();
    assertThat(Files.readString(dest.resolve("V1__a.sql"))).isEqualTo("a");
    assertThat(Files.readString(dest.resolve("sub/V2__b.sql"))).isEqualTo("b");

    assertThat(BuiltInCommands.run(List.of("cp", "-r", "/migrations", "/dest"), files, new PrintStream(err))).isZero();
    assertThat(Files.readString(dest.resolve("image/V1__a.sql"))).isEqualTo("a");

    assertThat(BuiltInCommands.run(List.of("cp", "/migrations", "/dest"), files, new PrintStream(err))).isEqualTo(1);
    assertThat(BuiltInCommands.run(List.of("cp", "-R", "/nowhere/.", "/dest"), files, new PrintStream(err)))
        .isEqualTo(1);
    assertThat(err.toString()).contains("-r not specified").contains("cannot stat '/nowhere/.'");
  }

  @Test
  void variableReferencesExpandAsKubernetesExpandsThem() {
    Map<String, String> env = Map.of("DB", "orders", "PORT", "5432");

    assertThat(EnvironmentResolver.expand("jdbc:postgresql://db:$(PORT)/$(DB)", env::get))
        .isEqualTo("jdbc:postgresql://db:5432/orders");
    assertThat(EnvironmentResolver.expand("$(MISSING) stays", env::get)).isEqualTo("$(MISSING) stays");
    assertThat(EnvironmentResolver.expand("$$(DB) is escaped", env::get)).isEqualTo("$(DB) is escaped");
    assertThat(EnvironmentResolver.expand("costs $5", env::get)).isEqualTo("costs $5");
  }

  @Test
  void imagesMatchByRepositoryWhateverTheirTag() {
    assertThat(ImageCatalog.repository("ghcr.io/lockstep-dev/lockstep:0.1.0"))
        .isEqualTo("ghcr.io/lockstep-dev/lockstep");
    assertThat(ImageCatalog.repository("localhost:5000/app")).isEqualTo("localhost:5000/app");
    assertThat(ImageCatalog.repository("localhost:5000/app:1@sha256:abc")).isEqualTo("localhost:5000/app");

    ImageCatalog images = new ImageCatalog()
        .registerFiles("registry/scripts:1.4.0", "/migrations", host)
        .registerFiles("registry/any", "/data", host)
        .registerEntrypoint("registry/runner:ignored-tag", (args, env) -> 0);
    assertThat(images.has("registry/scripts:1.4.0")).isTrue();
    assertThat(images.has("registry/scripts:1.5.0")).isFalse();
    assertThat(images.has("registry/any:7")).isTrue();
    assertThat(images.entrypoint("registry/runner:2.0")).isPresent();
  }

  @Test
  void podNamesForOneJobAttemptAreTheSameWhoeverMakesThem() {
    assertThat(Names.derived("expand", "uid-1/0")).isEqualTo(Names.derived("expand", "uid-1/0"))
        .isNotEqualTo(Names.derived("expand", "uid-1/1")).matches("expand-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(Names.generated("x".repeat(70))).hasSize(63);
  }
}
