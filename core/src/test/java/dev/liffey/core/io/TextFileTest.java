package dev.liffey.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFileTest {
  @TempDir Path dir;

  @Test
  void aRegularFileUpToTheLimitIsReadWhole() throws Exception {
    Path file = Files.writeString(dir.resolve("a.txt"), "héllo\n");

    assertThat(TextFile.read(file, 7)).isEqualTo("héllo\n");
  }

  @Test
  void oneByteOverTheLimitIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("a.txt"), "12345678");

    assertThatThrownBy(() -> TextFile.read(file, 7))
        .isInstanceOf(TextFile.Unreadable.class)
        .hasMessage("the file is 8 bytes, more than the 7 bytes allowed");
  }

  @Test
  void aMissingFileAndADirectorySayWhatTheyAre() {
    assertThatThrownBy(() -> TextFile.read(dir.resolve("nope"), 10)).hasMessage("file not found");
    assertThatThrownBy(() -> TextFile.read(dir, 10)).hasMessage("not a regular file (a directory)");
  }

  @Test
  void sizesReadAsPeopleReadThem() {
    assertThat(TextFile.bytes(1)).isEqualTo("1 byte");
    assertThat(TextFile.bytes(1023)).isEqualTo("1023 bytes");
    assertThat(TextFile.bytes(1024 * 1024)).isEqualTo("1 MiB");
    assertThat(TextFile.bytes(64L << 20)).isEqualTo("64 MiB");
    assertThat(TextFile.bytes((long) (3.25 * (1L << 30)))).isEqualTo("3.3 GiB");
  }
}
