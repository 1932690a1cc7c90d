package dev.liffey.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * A text file named on a command line (a configuration, a trace): a regular file of at most a given
 * size, read whole as UTF-8. Anything else is refused before it is opened, so a device ({@code
 * /dev/zero}), a named pipe or a huge file is an error at once, never a hang or an {@link
 * OutOfMemoryError}. Stateless and thread-safe.
 */
public final class TextFile {
  private TextFile() {}

  /**
   * The file's text.
   *
   * @param maxBytes the most the file may hold; more is refused
   * @throws Unreadable with what is wrong with it, in words for the person who named it
   */
  public static String read(Path file, long maxBytes) throws Unreadable {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new Unreadable(Unreadable.Kind.MISSING, "file not found");
    } catch (IOException e) {
      throw new Unreadable(Unreadable.Kind.UNREADABLE, "cannot read the file: " + e.getMessage());
    }
    if (!attributes.isRegularFile()) {
      throw new Unreadable(
          Unreadable.Kind.NOT_A_FILE,
          "not a regular file ("
              + (attributes.isDirectory() ? "a directory" : "a device, named pipe or socket")
              + ")");
    }
    if (attributes.size() > maxBytes) {
      throw tooLarge(attributes.size(), maxBytes);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // The size may have grown since it was read, or be unknown (procfs): never read more than
      // allowed.
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (AccessDeniedException e) {
      throw new Unreadable(Unreadable.Kind.UNREADABLE, "permission denied");
    } catch (IOException e) {
      throw new Unreadable(Unreadable.Kind.UNREADABLE, "cannot read the file: " + e.getMessage());
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(bytes.length, maxBytes);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Unreadable(Unreadable.Kind.NOT_TEXT, "not UTF-8 text");
    }
  }

  private static Unreadable tooLarge(long size, long maxBytes) {
    return new Unreadable(
        Unreadable.Kind.TOO_LARGE,
        String.format(
            Locale.ROOT, "the file is %s, more than the %s allowed", bytes(size), bytes(maxBytes)));
  }

  /** {@code 512 bytes}, {@code 1 MiB}, {@code 3.2 GiB}: sizes as people read them. */
  static String bytes(long n) {
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    if (n < 1024) {
      return n + (n == 1 ? " byte" : " bytes");
    }
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return (v == Math.rint(v)
            ? String.format(Locale.ROOT, "%.0f", v)
            : String.format(Locale.ROOT, "%.1f", v))
        + " "
        + units[u];
  }

  /**
   * The file cannot be used; the message says why (no path: the caller names the file its own way).
   */
  public static final class Unreadable extends Exception {
    /** What is wrong: the caller's hint depends on it. */
    public enum Kind {
      MISSING,
      NOT_A_FILE,
      UNREADABLE,
      TOO_LARGE,
      NOT_TEXT
    }

    private final Kind kind;

    Unreadable(Kind kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }
}
